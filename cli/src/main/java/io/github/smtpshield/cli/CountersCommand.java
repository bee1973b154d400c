package io.github.smtpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code smtp-shield counters IP}: what the store counts for a client. */
@Command(
        name = "counters",
        mixinStandardHelpOptions = true,
        description = "Shows what the store counts for a client: open connections, messages in the hour, unknown"
                + " recipients, its block.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done", "1:WebAdmin refused (not an address)", "2:WebAdmin cannot be reached (or bad usage)"})
final class CountersCommand extends WebAdminCommand {
    @Parameters(index = "0", paramLabel = "IP", description = "an address or a CIDR")
    String ip;

    @Override
    void run(WebAdmin webAdmin, PrintWriter out) throws IOException {
        JsonNode counters =
                webAdmin.get("/smtpshield/counters/" + ipSegment(ip)).body();
        if (options.json) {
            printJson(out, counters);
            return;
        }
        JsonNode block = counters.path("block");
        Table table = new Table("COUNTER", "VALUE")
                .row("client", counters.path("ip").asText())
                .row("exempt", counters.path("exempt").asBoolean() ? "yes" : "no")
                .row("open connections", counters.path("connections").asInt())
                .row("messages (hour)", counters.path("messages").asInt())
                .row("messages left", counters.path("messagesLeft").asInt())
                .row("unknown recipients", counters.path("unknownRecipients").asInt())
                .row(
                        "blocked",
                        block.isNull() || block.isMissingNode()
                                ? "no"
                                : "until " + time(block.path("until")) + " ("
                                        + block.path("reason").asText() + ")");
        table.print(out);
    }
}
