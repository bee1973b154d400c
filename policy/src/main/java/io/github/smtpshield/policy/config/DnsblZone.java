package io.github.smtpshield.policy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One DNS blocklist or allowlist zone of {@code <screening><dnsbl>}: {@code <zone weight="1"
 * codes="127.0.0.2,127.0.0.4-127.0.0.7">bl.example</zone>}.
 *
 * @param name   the zone, lower case, without the trailing dot
 * @param weight what a listing adds to the client's score: positive for a blocklist, negative for an allowlist
 * @param codes  the answers that count, as ranges of IPv4 addresses within 127.0.0.0/8; empty: any answer in 127/8
 */
public record DnsblZone(String name, int weight, List<Codes> codes) {

    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?");
    private static final long LOOPBACK_FIRST = 127L << 24;
    private static final long LOOPBACK_LAST = LOOPBACK_FIRST + (1L << 24) - 1;

    /** Answers from {@code first} to {@code last}, both included, as unsigned 32-bit numbers. */
    public record Codes(long first, long last) {
        public Codes {
            if (first > last || first < LOOPBACK_FIRST || last > LOOPBACK_LAST) {
                throw new IllegalArgumentException(
                        "not a range of answers in 127.0.0.0/8: " + text(first) + "-" + text(last));
            }
        }

        @Override
        public String toString() {
            return first == last ? text(first) : text(first) + "-" + text(last);
        }
    }

    public DnsblZone {
        Objects.requireNonNull(name, "name");
        if (weight == 0) {
            throw new IllegalArgumentException("a zone's weight must not be 0");
        }
        codes = List.copyOf(codes);
    }

    /** Whether an A record of the zone for a client counts: in {@code codes}, or anywhere in 127/8 without codes. */
    public boolean counts(byte[] answer) {
        if (answer.length != 4) {
            return false;
        }
        long value = ((answer[0] & 0xFFL) << 24)
                | ((answer[1] & 0xFFL) << 16)
                | ((answer[2] & 0xFFL) << 8)
                | (answer[3] & 0xFFL);
        if (value < LOOPBACK_FIRST || value > LOOPBACK_LAST) {
            return false; // the big lists answer outside 127/8 to say "error" (a query refused), never "listed"
        }
        return codes.isEmpty() || codes.stream().anyMatch(range -> value >= range.first() && value <= range.last());
    }

    /** A zone name as the file writes it: letters, digits, hyphens (underscores too, as some lists use). */
    static String name(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        name = name.toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.length() > 200) {
            throw new IllegalArgumentException("not a DNS zone: '" + text + "'");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LDH_LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a DNS zone: '" + text + "'");
            }
        }
        return name;
    }

    /** {@code 127.0.0.2,127.0.0.4-127.0.0.7}. */
    static List<Codes> codes(String text) {
        List<Codes> codes = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            String range = item.strip();
            int dash = range.indexOf('-');
            long first = address(dash < 0 ? range : range.substring(0, dash).strip());
            long last = dash < 0 ? first : address(range.substring(dash + 1).strip());
            codes.add(new Codes(first, last));
        }
        return codes;
    }

    static int weight(String text) {
        int weight;
        try {
            weight = Integer.parseInt(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + text + "'");
        }
        if (weight == 0) {
            throw new IllegalArgumentException("a zone's weight must not be 0: '" + text + "'");
        }
        return weight;
    }

    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("zone", name);
        view.put("weight", weight);
        view.put("codes", codes.stream().map(Codes::toString).toList());
        return view;
    }

    private static long address(String text) {
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        long value = 0;
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value;
    }

    private static String text(long value) {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
