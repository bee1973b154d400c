package io.github.smtpshield.audit;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the audit command as bin/smtp-shield does, without exiting the JVM. */
public final class AuditCommandAccess {
    private AuditCommandAccess() {}

    public static int run(PrintWriter out, String... args) {
        CommandLine command = new CommandLine(new AuditCommand());
        command.setOut(out);
        command.setErr(new PrintWriter(new StringWriter()));
        return command.execute(args);
    }
}
