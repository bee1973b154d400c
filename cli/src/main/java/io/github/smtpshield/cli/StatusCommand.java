package io.github.smtpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code smtp-shield status}: each rule's state and refusals of the last hour, the store, the top clients. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows each rule (on, observe or off) with its refusals in the last hour, the store's health,"
                + " and the 10 clients with the most refusals (this node's counts).",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done", "1:WebAdmin refused", "2:WebAdmin cannot be reached (or bad usage)"})
final class StatusCommand extends WebAdminCommand {
    @Override
    void run(WebAdmin webAdmin, PrintWriter out) throws IOException {
        JsonNode status = webAdmin.get("/smtpshield/status").body();
        if (options.json) {
            printJson(out, status);
            return;
        }
        JsonNode store = status.path("store");
        out.println("store: " + store.path("type").asText() + ", "
                + (store.path("up").asBoolean()
                        ? "up (" + store.path("millis").asLong() + " ms)"
                        : "DOWN: " + store.path("detail").asText()));
        out.println("active blocks: "
                + (status.path("activeBlocks").isNull()
                        ? "unknown"
                        : status.path("activeBlocks").asText()));
        out.println();
        Table rules = new Table("RULE", "STATE", "REFUSED 1H#", "OBSERVED 1H#");
        status.path("rules")
                .forEach(rule -> rules.row(
                        rule.path("rule").asText(),
                        rule.path("state").isNull() ? null : rule.path("state").asText(),
                        rule.path("refused").asLong(),
                        rule.path("observed").asLong()));
        rules.print(out);
        out.println();
        if (status.path("topClients").isEmpty()) {
            out.println("no refusal in the last hour");
            return;
        }
        out.println("top clients by refusals, last hour:");
        Table clients = new Table("CLIENT", "REFUSED#", "OBSERVED#");
        status.path("topClients")
                .forEach(client -> clients.row(
                        client.path("ip").asText(),
                        client.path("refused").asLong(),
                        client.path("observed").asLong()));
        clients.print(out);
    }
}
