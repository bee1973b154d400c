package io.github.smtpshield.policy.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One IPv4 or IPv6 network range, such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}.
 *
 * <p>A bare address is a range of one ({@code /32} or {@code /128}). Host bits written after the
 * prefix are cleared, so {@code 10.1.2.3/8} is {@code 10.0.0.0/8}. IPv4-mapped IPv6 addresses
 * ({@code ::ffff:192.0.2.1}) are IPv4 addresses, both in a range and in {@link #contains}: a
 * dual-stack listener reports IPv4 clients that way.
 */
public final class Cidr {

    private static final Pattern PREFIX_LENGTH = Pattern.compile("[0-9]{1,3}");
    private static final int MAPPED_PREFIX_BITS = 96;

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Reads {@code address} or {@code address/prefixLength}.
     *
     * @throws IllegalArgumentException naming the problem and ending with the quoted text
     */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = IpLiteral.bytes(address)
                .orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR range: '" + trimmed + "'"));
        int bits = bytes.length * 8;
        if (slash < 0) {
            return of(bytes, bits);
        }
        String prefix = trimmed.substring(slash + 1);
        if (!PREFIX_LENGTH.matcher(prefix).matches() || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("prefix length must be 0.." + bits + ": '" + trimmed + "'");
        }
        return of(bytes, Integer.parseInt(prefix));
    }

    static Cidr of(byte[] address, int prefixLength) {
        if (address.length == 16 && prefixLength >= MAPPED_PREFIX_BITS && IpLiteral.isMapped(address)) {
            return of(IpLiteral.unmapped(address), prefixLength - MAPPED_PREFIX_BITS);
        }
        byte[] network = address.clone();
        for (int bit = prefixLength; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new Cidr(network, prefixLength);
    }

    /** Whether {@code address} lies in this range; an IPv4-mapped IPv6 address is matched as IPv4. */
    public boolean contains(InetAddress address) {
        byte[] candidate = IpLiteral.unmapped(address.getAddress());
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xff << (8 - remainingBits);
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** 32 for IPv4, 128 for IPv6. */
    int addressBits() {
        return network.length * 8;
    }

    BigInteger first() {
        return new BigInteger(1, network);
    }

    BigInteger last() {
        return first().add(BigInteger.ONE.shiftLeft(addressBits() - prefixLength))
                .subtract(BigInteger.ONE);
    }

    /** {@code 203.0.113.0/24}, {@code 2001:db8::/32} (RFC 5952 text): always with the prefix length. */
    @Override
    public String toString() {
        return (isIpv4() ? ipv4Text() : ipv6Text()) + "/" + prefixLength;
    }

    private String ipv4Text() {
        return (network[0] & 0xff) + "." + (network[1] & 0xff) + "." + (network[2] & 0xff) + "." + (network[3] & 0xff);
    }

    private String ipv6Text() {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((network[2 * i] & 0xff) << 8) | (network[2 * i + 1] & 0xff);
        }
        // RFC 5952: the longest run of two or more zero groups (the first on a tie) becomes "::".
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr that && prefixLength == that.prefixLength && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }
}
