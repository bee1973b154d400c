package io.github.smtpshield.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-shield}, the command line of SMTP Shield that {@code bin/smtp-shield} runs for every command but
 * {@code run}. Each command is a subcommand class listed below; exit status 2 is bad usage for all of them. The
 * console commands ({@code status}, {@code blocks}, {@code block}, {@code unblock}, {@code counters}, {@code policy})
 * ask the local WebAdmin ({@link WebAdminCommand}).
 */
@Command(
        name = "smtp-shield",
        mixinStandardHelpOptions = true,
        description = "SMTP Shield's commands.",
        subcommands = {
            AuditCommand.class,
            TokenCommand.class,
            JwtKeysCommand.class,
            StatusCommand.class,
            BlocksCommand.class,
            BlockCommand.class,
            UnblockCommand.class,
            CountersCommand.class,
            PolicyCommand.class,
            HelpCommand.class
        })
public final class SmtpShieldCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing the command (for example: audit)");
    }

    /** The command line, ready to {@link CommandLine#execute}. */
    public static CommandLine commandLine() {
        return new CommandLine(new SmtpShieldCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
