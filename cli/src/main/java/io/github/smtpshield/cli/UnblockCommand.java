package io.github.smtpshield.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code smtp-shield unblock IP}: lifts a block at once and clears the client's unknown-recipient count. */
@Command(
        name = "unblock",
        mixinStandardHelpOptions = true,
        description =
                "Lifts the block of a client address or network at once (and clears its unknown-recipient" + " count).",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {
            "0:lifted",
            "1:WebAdmin refused (the client was not blocked)",
            "2:WebAdmin cannot be reached (or bad usage)"
        })
final class UnblockCommand extends WebAdminCommand {
    @Parameters(index = "0", paramLabel = "IP", description = "the address or CIDR of the block")
    String ip;

    @Override
    void run(WebAdmin webAdmin, PrintWriter out) {
        webAdmin.delete("/smtpshield/blocked/" + ipSegment(ip));
        if (!options.json) {
            out.println("lifted the block of " + ip);
        }
    }
}
