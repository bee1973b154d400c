package io.github.smtpshield.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code smtp-shield blocks}: the active blocks, oldest first. */
@Command(
        name = "blocks",
        mixinStandardHelpOptions = true,
        description = "Lists the active blocks, oldest first.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done", "1:WebAdmin refused", "2:WebAdmin cannot be reached (or bad usage)"})
final class BlocksCommand extends WebAdminCommand {
    @Override
    void run(WebAdmin webAdmin, PrintWriter out) throws IOException {
        JsonNode blocks = webAdmin.get("/smtpshield/blocked").body();
        if (options.json) {
            printJson(out, blocks);
            return;
        }
        if (blocks.isEmpty()) {
            out.println("no active block");
            return;
        }
        Table table = new Table("CLIENT", "REASON", "SINCE", "UNTIL", "LENGTH", "OFFENCES");
        blocks.forEach(block -> table.row(
                block.path("ip").asText(),
                block.path("reason").asText(),
                time(block.path("since")),
                time(block.path("until")),
                block.path("length").asText(),
                block.path("offences").asText()));
        table.print(out);
    }
}
