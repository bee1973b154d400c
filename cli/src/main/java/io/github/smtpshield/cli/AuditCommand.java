package io.github.smtpshield.cli;

import io.github.smtpshield.audit.Finding;
import io.github.smtpshield.audit.KerioAudit;
import io.github.smtpshield.audit.conf.UnreadableConfException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-shield audit [conf-dir]}: prints the Kerio checklist for a James conf folder, one line per item, OK /
 * WARN / FAIL with the file and element to change. Exit status 0 with no FAIL, 1 with a FAIL, 2 when the folder
 * cannot be read.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Audits a James conf folder against Kerio Connect's SMTP security checklist.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:no FAIL", "1:at least one FAIL", "2:the folder cannot be read (or bad usage)"})
final class AuditCommand implements Callable<Integer> {
    static final int UNREADABLE = 2;

    @Parameters(
            index = "0",
            arity = "0..1",
            defaultValue = "conf",
            paramLabel = "CONF_DIR",
            description = "the James conf folder (default: ${DEFAULT-VALUE})")
    private Path conf;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            List<Finding> findings = KerioAudit.of(conf);
            findings.forEach(finding -> out.println(finding.line()));
            out.flush();
            return KerioAudit.exitStatus(findings);
        } catch (UnreadableConfException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.flush();
            return UNREADABLE;
        }
    }
}
