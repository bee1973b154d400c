package io.github.smtpshield.policy.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The client that per-IP limits count: an IPv4 address grouped by {@code ipv4Prefix} (default /32) or an
 * IPv6 address grouped by {@code ipv6Prefix} (default /64, the smallest network a site is usually given,
 * so one host cannot dodge a limit by walking its /64).
 *
 * <p>Both families live in one 128-bit space: an IPv4 key is its IPv4-mapped IPv6 prefix
 * ({@code ::ffff:a.b.c.d}, RFC 4291 section 2.5.5.2). A client that reaches a dual-stack listener as
 * {@code ::ffff:203.0.113.5} is therefore the same key as {@code 203.0.113.5}, and a key is two longs and an
 * int (32 bytes on a 64-bit JVM), which matters with a million of them.
 *
 * @param high the first 64 bits of the prefix
 * @param low the last 64 bits of the prefix, host bits zero
 * @param bits the prefix length in the 128-bit space: an IPv4 /24 has 120, an IPv6 /64 has 64
 */
public record ClientKey(long high, long low, int bits) {

    public static final int DEFAULT_IPV4_PREFIX = 32;
    public static final int DEFAULT_IPV6_PREFIX = 64;

    /** Bits 80..95 of an IPv4-mapped address: 0000:0000:0000:0000:0000:ffff:a.b.c.d. */
    private static final long IPV4_MAPPED = 0xFFFFL << 32;

    private static final int IPV4_OFFSET = 96;

    private static final Pattern IPV4_LITERAL = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,3}");

    public ClientKey {
        if (bits < 0 || bits > 128) {
            throw new IllegalArgumentException("prefix length " + bits + " is outside 0..128");
        }
        if (high != maskHigh(high, bits) || low != maskLow(low, bits)) {
            throw new IllegalArgumentException("host bits set beyond /" + bits);
        }
    }

    /** The key of {@code address} with the default grouping, IPv4 /32 and IPv6 /64. */
    public static ClientKey of(InetAddress address) {
        return of(address, DEFAULT_IPV4_PREFIX, DEFAULT_IPV6_PREFIX);
    }

    /**
     * The key that counts {@code address}: IPv4 (and IPv4-mapped IPv6) masked to {@code ipv4Prefix},
     * IPv6 masked to {@code ipv6Prefix}.
     */
    public static ClientKey of(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
        checkPrefixes(ipv4Prefix, ipv6Prefix);
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return ipv4(readInt(bytes, 0), ipv4Prefix);
        }
        long high = readLong(bytes, 0);
        long low = readLong(bytes, 8);
        if (high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED) {
            return ipv4((int) low, ipv4Prefix);
        }
        return new ClientKey(maskHigh(high, ipv6Prefix), maskLow(low, ipv6Prefix), ipv6Prefix);
    }

    /**
     * Reads a key as {@link #toString()} writes it: an address ({@code 203.0.113.5}, {@code 2001:db8::1}) is
     * that one host, a CIDR ({@code 203.0.113.0/24}, {@code 2001:db8:1:2::/64}) is that network, host bits
     * cleared. Never looks anything up in DNS.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static ClientKey parse(String text) {
        int slash = text.indexOf('/');
        String addressPart = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = parseLiteral(text, addressPart);
        boolean ipv4 = address instanceof Inet4Address;
        int hostBits = ipv4 ? 32 : 128;
        int prefix = slash < 0 ? hostBits : parsePrefix(text, text.substring(slash + 1), hostBits);
        return ipv4 ? of(address, prefix, DEFAULT_IPV6_PREFIX) : of(address, DEFAULT_IPV4_PREFIX, prefix);
    }

    /**
     * Reads an operator's address or CIDR (a WebAdmin path) as the key its clients are counted under: an
     * address is grouped like {@link #of(InetAddress, int, int)}, a CIDR narrower than the grouping is widened
     * to it, a CIDR wider than the grouping is refused (no single key counts it).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static ClientKey parse(String text, int ipv4Prefix, int ipv6Prefix) {
        checkPrefixes(ipv4Prefix, ipv6Prefix);
        ClientKey exact = parse(text);
        int grouping = exact.ipv4() ? ipv4Prefix : ipv6Prefix;
        if (exact.prefixLength() < grouping) {
            throw new IllegalArgumentException(
                    "'" + text + "' is wider than the /" + grouping + " that clients are counted by");
        }
        int bits = exact.ipv4() ? IPV4_OFFSET + grouping : grouping;
        return new ClientKey(maskHigh(exact.high, bits), maskLow(exact.low, bits), bits);
    }

    /** True for an IPv4 client (including one that arrived as an IPv4-mapped IPv6 address). */
    public boolean ipv4() {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED && bits >= IPV4_OFFSET;
    }

    /** The prefix length within the family: 24 for an IPv4 /24, 64 for an IPv6 /64. */
    public int prefixLength() {
        return ipv4() ? bits - IPV4_OFFSET : bits;
    }

    /** {@code 203.0.113.5}, {@code 198.51.100.0/24}, {@code 2001:db8::1}, {@code 2001:db8:1:2::/64} (RFC 5952). */
    @Override
    public String toString() {
        String address = ipv4() ? ipv4Text((int) low) : ipv6Text(high, low);
        return bits == 128 ? address : address + "/" + prefixLength();
    }

    private static ClientKey ipv4(int address, int prefix) {
        int bits = IPV4_OFFSET + prefix;
        return new ClientKey(0, maskLow(IPV4_MAPPED | (address & 0xFFFF_FFFFL), bits), bits);
    }

    private static InetAddress parseLiteral(String text, String literal) {
        try {
            if (IPV4_LITERAL.matcher(literal).matches()) {
                return ipv4Literal(literal);
            }
            // With a ':' InetAddress parses an IPv6 literal and never resolves; it would send anything
            // else (a host name, "1.2.3") to DNS, which is why IPv4 is read above.
            if (IPV6_LITERAL.matcher(literal).matches()) {
                return InetAddress.getByName(literal);
            }
        } catch (UnknownHostException e) {
            // falls through to the one message below
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR (expected e.g. "
                + "203.0.113.5, 203.0.113.0/24, 2001:db8::1 or 2001:db8:1:2::/64)");
    }

    private static InetAddress ipv4Literal(String literal) throws UnknownHostException {
        String[] octets = literal.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(octets[i]);
            if (octet > 255) {
                throw new UnknownHostException(literal);
            }
            bytes[i] = (byte) octet;
        }
        return InetAddress.getByAddress(bytes);
    }

    private static int parsePrefix(String text, String prefix, int maximum) {
        if (PREFIX.matcher(prefix).matches() && Integer.parseInt(prefix) <= maximum) {
            return Integer.parseInt(prefix);
        }
        throw new IllegalArgumentException("'" + text + "' has prefix length '" + prefix + "', expected 0.." + maximum);
    }

    private static void checkPrefixes(int ipv4Prefix, int ipv6Prefix) {
        if (ipv4Prefix < 0 || ipv4Prefix > 32) {
            throw new IllegalArgumentException("IPv4 prefix length " + ipv4Prefix + " is outside 0..32");
        }
        if (ipv6Prefix < 0 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("IPv6 prefix length " + ipv6Prefix + " is outside 0..128");
        }
    }

    private static long maskHigh(long high, int bits) {
        if (bits >= 64) {
            return high;
        }
        return bits == 0 ? 0 : high & (-1L << (64 - bits));
    }

    private static long maskLow(long low, int bits) {
        if (bits <= 64) {
            return 0;
        }
        return bits == 128 ? low : low & (-1L << (128 - bits));
    }

    private static int readInt(byte[] bytes, int from) {
        return (int) readBytes(bytes, from, 4);
    }

    private static long readLong(byte[] bytes, int from) {
        return readBytes(bytes, from, 8);
    }

    private static long readBytes(byte[] bytes, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    private static String ipv4Text(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "."
                + (address & 0xFF);
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run (first if tied) of two or more zero groups as "::". */
    private static String ipv6Text(long high, long low) {
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int runStart = -1;
        int runLength = 0;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length >= 2 && length > runLength) {
                runStart = i;
                runLength = length;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
