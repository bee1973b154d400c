package io.github.smtpshield.e2e.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.e2e.ShieldServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * What a robustness test checks on the server after it was attacked: its log, its per-IP counts, its heap and its
 * threads.
 */
final class ServerHealth {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTRY_START =
            Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[(\\w+) *\\] (\\S+) - (.*)$");
    private static final Pattern HEAP_USED =
            Pattern.compile("(?m)^ *(?:def new generation|tenured generation) +total \\d+K, used (\\d+)K");
    private static final Pattern METRIC = Pattern.compile("(?m)^(\\w+) ([-0-9.E]+)$");

    /**
     * Exceptions James logs with a stack trace that a client can cause and that are no defect of the server:
     * <ul>
     *   <li>data pipelined after STARTTLS (RFC 3207 forbids it): James answers {@code 451} and closes (notes, trap 12);</li>
     *   <li>clear text where the TLS handshake after STARTTLS should be;</li>
     *   <li>a client that resets its connection (RST): James 3.8.1 logs the read error at ERROR, no reply is sent.</li>
     * </ul>
     */
    private static final List<Pattern> CLIENT_CAUSED = List.of(
            Pattern.compile("CommandInjectionDetectedException"),
            Pattern.compile("NotSslRecordException|SSLHandshakeException|SSLException"),
            Pattern.compile("^java\\.net\\.SocketException: Connection reset", Pattern.MULTILINE));

    private ServerHealth() {}

    /** One log entry of {@code james.log}: its first line and the lines (stack trace) under it. */
    record LogEntry(String level, String logger, String text) {
        boolean hasStackTrace() {
            return text.lines().anyMatch(line -> line.startsWith("\tat "));
        }

        boolean clientCaused() {
            return CLIENT_CAUSED.stream()
                    .anyMatch(pattern -> pattern.matcher(text).find());
        }

        @Override
        public String toString() {
            return text.lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse("");
        }
    }

    static List<LogEntry> entries(String log) {
        List<LogEntry> entries = new ArrayList<>();
        String level = null;
        String logger = null;
        StringBuilder text = new StringBuilder();
        for (String line : log.split("\n")) {
            Matcher start = ENTRY_START.matcher(line);
            if (start.matches()) {
                if (level != null) {
                    entries.add(new LogEntry(level, logger, text.toString()));
                }
                level = start.group(1);
                logger = start.group(2);
                text.setLength(0);
            }
            text.append(line).append('\n');
        }
        if (level != null) {
            entries.add(new LogEntry(level, logger, text.toString()));
        }
        return entries;
    }

    /** Log entries after {@code offset} characters of the log (what a phase of a test added). */
    static List<LogEntry> entriesSince(ShieldServer server, int offset) {
        String log = server.jamesLog();
        assertThat(log.length())
                .as("james.log shorter than before: it rolled over (the test made over 100 MB of log)")
                .isGreaterThanOrEqualTo(offset);
        return entries(log.substring(offset));
    }

    /** No ERROR of the shield, and no stack trace except those clients cause on purpose (see above). */
    static void assertCleanLog(List<LogEntry> entries) {
        assertThat(entries)
                .as("ERROR lines of the shield's loggers")
                .filteredOn(entry -> entry.level().equals("ERROR") && isShield(entry.logger()))
                .isEmpty();
        assertThat(entries)
                .as("stack traces not caused on purpose by a client (STARTTLS + data, TLS junk, RST)")
                .filteredOn(entry -> entry.hasStackTrace() && !entry.clientCaused() && !isAddressParseError(entry))
                .isEmpty();
    }

    /** James's own INFO line for an address it could not parse: the client got its 501, nothing failed. */
    private static boolean isAddressParseError(LogEntry entry) {
        return entry.level().equals("INFO") && entry.text().contains("javax.mail.internet.AddressException");
    }

    private static boolean isShield(String logger) {
        // logback's %logger{15} shortens io.github.smtpshield.x.Y to i.g.s.x.Y and smtpshield.security to s.security
        return logger.equals("smtpshield")
                || logger.startsWith("smtpshield.")
                || logger.startsWith("s.")
                || logger.startsWith("io.github.smtpshield")
                || logger.startsWith("i.g.s.");
    }

    /** Waits (bounded) until the server counts no open connection for each of these client addresses. */
    static void awaitNoOpenConnections(ShieldServer server, List<String> addresses) {
        for (String address : addresses) {
            Awaitility.await("no open connection counted for " + address)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> connections(server, address) == 0);
        }
    }

    /** The connection count of the server for one client address ({@code GET /smtpshield/counters/{ip}}). */
    static int connections(ShieldServer server, String address) {
        return counters(server, address).get("connections").asInt();
    }

    static JsonNode counters(ShieldServer server, String address) {
        HttpResponse<String> response = server.webAdmin().get("/smtpshield/counters/" + address);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body());
    }

    /** Used heap after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}), in KiB. */
    static long heapAfterFullGcKib(ShieldServer server) {
        server.jcmd("GC.run");
        String info = server.jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        long total = 0;
        int generations = 0;
        while (used.find()) {
            total += Long.parseLong(used.group(1));
            generations++;
        }
        assertThat(generations).as("young and old generation in:\n" + info).isEqualTo(2);
        return total;
    }

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^ *\\d+: +(\\d+) +(\\d+) +(\\S+)");

    /** The classes whose instances grew most in bytes between two {@code jcmd GC.class_histogram}, for a failure message. */
    static String histogramGrowth(String before, String after, int top) {
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(before);
        while (row.find()) {
            bytes.merge(row.group(3), -Long.parseLong(row.group(2)), Long::sum);
        }
        row = HISTOGRAM_ROW.matcher(after);
        while (row.find()) {
            bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
        }
        return bytes.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(entry -> String.format("%,12d bytes  %s", entry.getValue(), entry.getKey()))
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    /** Live threads of the server ({@code jvm_threads_count} in {@code GET /metrics}). */
    static int threads(ShieldServer server) {
        return (int) metric(server, "jvm_threads_count");
    }

    static double metric(ShieldServer server, String name) {
        HttpResponse<String> response = server.webAdmin().get("/metrics");
        Matcher metric = METRIC.matcher(response.body());
        while (metric.find()) {
            if (metric.group(1).equals(name)) {
                return Double.parseDouble(metric.group(2));
            }
        }
        throw new AssertionError("no metric " + name + " in GET /metrics");
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
