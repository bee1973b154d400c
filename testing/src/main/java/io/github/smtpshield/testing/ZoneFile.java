package io.github.smtpshield.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The zone file of {@link LoopbackDnsServer}: one entry a line, fields separated by blanks, keywords in
 * any case, {@code #} starts a comment, blank lines are ignored. Names may end with a dot or not.
 *
 * <pre>
 * A         mail.example.test   127.0.0.1
 * AAAA      v6.example.test     ::1
 * MX        example.test        10 mail.example.test
 * NULLMX    nomail.test
 * PTR       127.0.0.2           mail.example.test      # IPv4 or IPv6 address
 * SERVFAIL  broken.test
 * SILENT    slow.test
 * </pre>
 *
 * Any other line stops the server with {@code <file>:<line>: <reason>}.
 */
final class ZoneFile {

    /** How many values each keyword takes. */
    private static final Map<String, Integer> ARITY =
            Map.of("A", 2, "AAAA", 2, "MX", 3, "NULLMX", 1, "PTR", 2, "SERVFAIL", 1, "SILENT", 1);

    private ZoneFile() {}

    static void read(Path file, LoopbackDnsServer server) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            try {
                apply(lines.get(i), server);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
    }

    private static void apply(String line, LoopbackDnsServer server) {
        int comment = line.indexOf('#');
        String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (content.isEmpty()) {
            return;
        }
        String[] fields = content.split("\\s+");
        String keyword = fields[0].toUpperCase(Locale.ROOT);
        Integer arity = ARITY.get(keyword);
        if (arity == null) {
            throw new IllegalArgumentException("unknown keyword '" + fields[0] + "'");
        }
        String[] v = Arrays.copyOfRange(fields, 1, fields.length);
        if (v.length != arity) {
            throw new IllegalArgumentException(keyword + " takes " + arity + " value(s), found " + v.length);
        }
        switch (keyword) {
            case "A" -> server.a(v[0], v[1]);
            case "AAAA" -> server.aaaa(v[0], v[1]);
            case "MX" -> server.mx(v[0], preference(v[1]), v[2]);
            case "NULLMX" -> server.nullMx(v[0]);
            case "PTR" -> server.ptr(v[0], v[1]);
            case "SERVFAIL" -> server.servfail(v[0]);
            case "SILENT" -> server.silent(v[0]);
            default -> throw new IllegalStateException("keyword without handler: " + keyword);
        }
    }

    private static int preference(String value) {
        try {
            int preference = Integer.parseInt(value);
            if (preference < 0 || preference > 65535) {
                throw new NumberFormatException();
            }
            return preference;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MX preference must be 0 to 65535, found '" + value + "'");
        }
    }
}
