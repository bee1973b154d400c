package io.github.smtpshield.policy.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address or network: a client's counting key, an exempt or relay network, a WebAdmin {@code {ip}}, a DNS
 * server's address. The one type the shield reads and writes addresses with; it never asks DNS.
 *
 * <p>Both families live in one 128-bit space: IPv4 is its IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}, RFC 4291
 * section 2.5.5.2). A client that reaches a dual-stack listener as {@code ::ffff:203.0.113.5} is therefore the same
 * key as {@code 203.0.113.5}, and a prefix is two longs and an int (32 bytes on a 64-bit JVM), which matters with a
 * million client keys. The families stay apart all the same: an IPv6 network never contains an IPv4 address.
 *
 * <p>A client key groups IPv4 by {@code ipv4Prefix} (default /32) and IPv6 by {@code ipv6Prefix} (default /64, the
 * smallest network a site is usually given, so one host cannot dodge a limit by walking its /64).
 *
 * @param high the first 64 bits of the prefix
 * @param low the last 64 bits of the prefix, host bits zero
 * @param bits the prefix length in the 128-bit space: an IPv4 /24 has 120, an IPv6 /64 has 64
 */
public record IpPrefix(long high, long low, int bits) {

    public static final int DEFAULT_IPV4_PREFIX = 32;
    public static final int DEFAULT_IPV6_PREFIX = 64;

    /** Bits 80..95 of an IPv4-mapped address: 0000:0000:0000:0000:0000:ffff:a.b.c.d. */
    private static final long IPV4_MAPPED = 0xFFFFL << 32;

    private static final int IPV4_OFFSET = 96;
    private static final Pattern IPV4_LITERAL = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** Hex digits, colons and dots only, with a colon: the JDK parses it as a literal, never as a host name. */
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private static final Pattern PREFIX_LENGTH = Pattern.compile("[0-9]{1,3}");

    public IpPrefix {
        if (bits < 0 || bits > 128) {
            throw new IllegalArgumentException("prefix length " + bits + " is outside 0..128");
        }
        if (high != maskHigh(high, bits) || low != maskLow(low, bits)) {
            throw new IllegalArgumentException("host bits set beyond /" + bits);
        }
    }

    /** The address itself: an IPv4 /32 or an IPv6 /128. */
    public static IpPrefix host(InetAddress address) {
        return clientKey(address, 32, 128);
    }

    /** The key that counts {@code address} with the default grouping: IPv4 /32, IPv6 /64. */
    public static IpPrefix clientKey(InetAddress address) {
        return clientKey(address, DEFAULT_IPV4_PREFIX, DEFAULT_IPV6_PREFIX);
    }

    /**
     * The key that counts {@code address}: IPv4 (and IPv4-mapped IPv6) masked to {@code ipv4Prefix}, IPv6 masked to
     * {@code ipv6Prefix}.
     */
    public static IpPrefix clientKey(InetAddress address, int ipv4Prefix, int ipv6Prefix) {
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
        return new IpPrefix(maskHigh(high, ipv6Prefix), maskLow(low, ipv6Prefix), ipv6Prefix);
    }

    /**
     * Reads an address ({@code 203.0.113.5}, {@code 2001:db8::1}: that one host) or a CIDR ({@code 203.0.113.0/24},
     * {@code 2001:db8:1:2::/64}; host bits written after the prefix are cleared, so {@code 10.1.2.3/8} is
     * {@code 10.0.0.0/8}). IPv4 is dotted-quad without leading zeros; IPv6 has no
     * brackets and no zone. An IPv4-mapped IPv6 text is IPv4.
     *
     * @throws IllegalArgumentException naming the problem and ending with the quoted text
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String written = slash < 0 ? text : text.substring(0, slash);
        IpPrefix host = address(written)
                .map(IpPrefix::host)
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR range: '" + text + "'"));
        if (slash < 0) {
            return host;
        }
        // The prefix counts bits of what was written: an IPv4-mapped IPv6 text has 128 of them.
        boolean writtenAsIpv6 = written.indexOf(':') >= 0;
        int writtenBits = writtenAsIpv6 ? 128 : 32;
        String prefix = text.substring(slash + 1);
        if (!PREFIX_LENGTH.matcher(prefix).matches() || Integer.parseInt(prefix) > writtenBits) {
            throw new IllegalArgumentException("prefix length must be 0.." + writtenBits + ": '" + text + "'");
        }
        int length = Integer.parseInt(prefix);
        return host.widenedTo(writtenAsIpv6 ? length : IPV4_OFFSET + length);
    }

    /**
     * Reads an operator's address or CIDR (a WebAdmin path) as the key its clients are counted under: an address is
     * grouped like {@link #clientKey(InetAddress, int, int)}, a CIDR narrower than the grouping is widened to it, a CIDR
     * wider than the grouping is refused (no single key counts it).
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static IpPrefix parse(String text, int ipv4Prefix, int ipv6Prefix) {
        checkPrefixes(ipv4Prefix, ipv6Prefix);
        IpPrefix exact = parse(text);
        int grouping = exact.ipv4() ? ipv4Prefix : ipv6Prefix;
        if (exact.prefixLength() < grouping) {
            throw new IllegalArgumentException(
                    "'" + text + "' is wider than the /" + grouping + " that clients are counted by");
        }
        return exact.widenedTo(exact.ipv4() ? IPV4_OFFSET + grouping : grouping);
    }

    /**
     * The address written as {@code text}, or empty if it is not an address literal as {@link #parse} reads them.
     * {@link InetAddress#getByName} would quietly resolve anything that is not a literal, which a configuration file,
     * an SMTP argument or an admin request must never trigger.
     */
    public static Optional<InetAddress> address(String text) {
        try {
            // A domain name never ends with a digit (its top-level label has a letter): no pattern run for one.
            if (!text.isEmpty()
                    && Character.isDigit(text.charAt(text.length() - 1))
                    && IPV4_LITERAL.matcher(text).matches()) {
                String[] octets = text.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(octets[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (text.indexOf(':') >= 0 && IPV6_LITERAL.matcher(text).matches()) {
                return Optional.of(InetAddress.getByName(text));
            }
        } catch (UnknownHostException notALiteral) {
            // empty below
        }
        return Optional.empty();
    }

    /** True for IPv4 (including an address that arrived as IPv4-mapped IPv6). */
    public boolean ipv4() {
        return high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == IPV4_MAPPED && bits >= IPV4_OFFSET;
    }

    /** The prefix length within the family: 24 for an IPv4 /24, 64 for an IPv6 /64. */
    public int prefixLength() {
        return ipv4() ? bits - IPV4_OFFSET : bits;
    }

    /** Whether {@code address} lies in this network; an IPv4-mapped IPv6 address is IPv4. */
    public boolean contains(InetAddress address) {
        return contains(host(address));
    }

    /** Whether every address of {@code other} lies in this network (of the same family). */
    public boolean contains(IpPrefix other) {
        return other.bits >= bits
                && other.ipv4() == ipv4()
                && other.widenedTo(bits).equals(this);
    }

    /**
     * The network of this prefix at {@code ipv4Prefix} or {@code ipv6Prefix} (after its family): {@code 203.0.113.5}
     * in its /24 is {@code 203.0.113.0/24}; a prefix as wide already is itself.
     */
    public IpPrefix network(int ipv4Prefix, int ipv6Prefix) {
        checkPrefixes(ipv4Prefix, ipv6Prefix);
        int prefix = ipv4() ? ipv4Prefix : ipv6Prefix;
        return prefixLength() <= prefix ? this : widenedTo(ipv4() ? IPV4_OFFSET + prefix : prefix);
    }

    /** This network seen as a wider one: the first {@code wider} bits of it. */
    IpPrefix widenedTo(int wider) {
        return new IpPrefix(maskHigh(high, wider), maskLow(low, wider), wider);
    }

    /** 32 for IPv4, 128 for IPv6. */
    int addressBits() {
        return ipv4() ? 32 : 128;
    }

    /** The first address of the network, as a number within its family. */
    BigInteger first() {
        BigInteger value = new BigInteger(Long.toUnsignedString(high))
                .shiftLeft(64)
                .or(new BigInteger(Long.toUnsignedString(low)));
        return ipv4() ? value.and(BigInteger.valueOf(0xFFFF_FFFFL)) : value;
    }

    /** The last address of the network, as a number within its family. */
    BigInteger last() {
        return first().add(BigInteger.ONE.shiftLeft(addressBits() - prefixLength()))
                .subtract(BigInteger.ONE);
    }

    /** {@code 203.0.113.5}, {@code 198.51.100.0/24}, {@code 2001:db8::1}, {@code 2001:db8:1:2::/64} (RFC 5952). */
    @Override
    public String toString() {
        String address = ipv4() ? ipv4Text((int) low) : ipv6Text(high, low);
        return bits == 128 ? address : address + "/" + prefixLength();
    }

    /** As {@link #toString()}, but always with the prefix length: {@code 192.0.2.1/32}, {@code ::1/128}. */
    public String cidr() {
        return bits == 128 ? this + "/" + prefixLength() : toString();
    }

    private static IpPrefix ipv4(int address, int prefix) {
        int bits = IPV4_OFFSET + prefix;
        return new IpPrefix(0, maskLow(IPV4_MAPPED | (address & 0xFFFF_FFFFL), bits), bits);
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
