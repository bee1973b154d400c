package io.github.smtpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;

/** {@code smtp-shield policy}: the policy in force, every default filled in. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Shows the policy in force (the effective smtpshield.xml, every default filled in).",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done", "1:WebAdmin refused", "2:WebAdmin cannot be reached (or bad usage)"})
final class PolicyCommand extends WebAdminCommand {
    @Override
    void run(WebAdmin webAdmin, PrintWriter out) throws IOException {
        JsonNode policy = webAdmin.get("/smtpshield/policy").body();
        if (options.json) {
            printJson(out, policy);
            return;
        }
        print(out, policy, "");
    }

    /** One line per value, {@code name: value}, a section's members indented under it. */
    private static void print(PrintWriter out, JsonNode node, String indent) {
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isObject()) {
                out.println(indent + field.getKey() + ":");
                print(out, value, indent + "  ");
            } else {
                out.println(indent + field.getKey() + ": " + text(value));
            }
        });
    }

    private static String text(JsonNode value) {
        if (value.isArray()) {
            return StreamSupport.stream(value.spliterator(), false)
                    .map(PolicyCommand::text)
                    .collect(Collectors.joining(", "));
        }
        return value.isNull() ? "-" : value.asText();
    }
}
