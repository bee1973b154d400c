package io.github.smtpshield.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.smtpshield.policy.net.IpPrefix;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A console command: it asks the local WebAdmin one thing and prints the answer, as a table by default or as
 * WebAdmin's JSON with {@code --json}. Exit status 0 when done, 1 when WebAdmin refused (with its message), 2 when
 * WebAdmin cannot be reached (or bad usage); every failure is one line on standard error naming what failed.
 */
abstract class WebAdminCommand implements Callable<Integer> {
    @Mixin
    WebAdminOptions options;

    @Spec
    CommandSpec spec;

    /** Asks WebAdmin and prints the answer. */
    abstract void run(WebAdmin webAdmin, PrintWriter out) throws IOException;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            run(new WebAdmin(options.baseUrl(), options.bearer()), out);
            out.flush();
            return 0;
        } catch (ConsoleException e) {
            return fail(e.exitStatus(), e.getMessage());
        } catch (IOException e) {
            return fail(ConsoleException.CANNOT_REACH, e.getMessage());
        }
    }

    private int fail(int status, String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + message);
        err.flush();
        return status;
    }

    /** The answer as is, indented, for {@code --json}. */
    static void printJson(PrintWriter out, JsonNode json) throws JsonProcessingException {
        out.println(WebAdmin.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    /** A time of WebAdmin's (ISO-8601, to the nanosecond) to the second, for a table: 2026-12-02T08:56:36Z. */
    static String time(JsonNode iso) {
        try {
            return Instant.parse(iso.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso.asText();
        }
    }

    /**
     * An address or CIDR as a path segment of WebAdmin's routes, its slash as {@code %2F}; checked here first, so
     * that nothing but an address can reach the URL.
     */
    static String ipSegment(String ip) {
        try {
            IpPrefix.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(ConsoleException.REFUSED, e.getMessage());
        }
        return ip.replace("/", "%2F");
    }
}
