package io.github.smtpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smtp-shield block IP [--for 2h] [--reason TEXT]}: an operator's block, replacing any block of the client. */
@Command(
        name = "block",
        mixinStandardHelpOptions = true,
        description = "Blocks a client address or network: every connection from it gets 421 4.7.1 until the block"
                + " ends. An exempt address cannot be blocked.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
            "0:blocked",
            "1:WebAdmin refused (an exempt address, a bad duration)",
            "2:WebAdmin cannot be reached (or bad usage)"
        })
final class BlockCommand extends WebAdminCommand {
    @Parameters(index = "0", paramLabel = "IP", description = "an address or a CIDR, such as 203.0.113.0/24")
    String ip;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            description = "how long: 90s, 30m, 2h, 1d (default: the harvest rule's blockFor)")
    String duration;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (default: manual)")
    String reason;

    @Override
    void run(WebAdmin webAdmin, PrintWriter out) throws IOException {
        ObjectNode body = WebAdmin.JSON.createObjectNode();
        if (reason != null) {
            body.put("reason", reason);
        }
        if (duration != null) {
            body.put("duration", duration);
        }
        WebAdmin.Answer answer = webAdmin.put("/smtpshield/blocked/" + ipSegment(ip), body);
        JsonNode block = answer.body();
        if (options.json) {
            printJson(out, block);
            return;
        }
        out.println((answer.status() == 200 ? "replaced the block: " : "blocked: ")
                + block.path("ip").asText() + " until " + time(block.path("until")) + " ("
                + block.path("reason").asText() + ")");
    }
}
