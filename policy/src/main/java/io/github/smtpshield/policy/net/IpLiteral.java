package io.github.smtpshield.policy.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IP address literals ({@code 192.0.2.1}, {@code 2001:db8::1}) without ever asking DNS.
 *
 * <p>{@link InetAddress#getByName} would quietly resolve anything that is not a literal, which a
 * configuration file or an admin request must never trigger, so IPv4 is read here and IPv6 is
 * handed to the JDK only once it can no longer be taken for a host name.
 */
public final class IpLiteral {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** Hex digits, colons and dots only, starting with a hex digit or a colon: the JDK parses it as a literal. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpLiteral() {}

    /**
     * The address written as {@code text} (dotted-quad IPv4 without leading zeros, or IPv6 without
     * brackets or zone), or empty if it is not such a literal. An IPv4-mapped IPv6 literal yields the
     * IPv4 address, as the JDK does.
     */
    public static Optional<InetAddress> parse(String text) {
        return bytes(text).map(bytes -> {
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        });
    }

    /** The raw 4 or 16 bytes of the literal; an IPv4-mapped IPv6 literal keeps its 16 bytes. */
    static Optional<byte[]> bytes(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] octets = text.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) Integer.parseInt(octets[i]);
            }
            return Optional.of(bytes);
        }
        if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
            try {
                InetAddress address = InetAddress.getByName(text);
                // The JDK turns ::ffff:a.b.c.d into an Inet4Address; give back what was written.
                return Optional.of(
                        address instanceof Inet4Address ? mapped(address.getAddress()) : address.getAddress());
            } catch (UnknownHostException notAnIpv6Literal) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address, else the bytes unchanged. */
    static byte[] unmapped(byte[] bytes) {
        if (bytes.length == 16 && isMapped(bytes)) {
            byte[] ipv4 = new byte[4];
            System.arraycopy(bytes, 12, ipv4, 0, 4);
            return ipv4;
        }
        return bytes;
    }

    static boolean isMapped(byte[] bytes) {
        for (int i = 0; i < IPV4_MAPPED_PREFIX.length; i++) {
            if (bytes[i] != IPV4_MAPPED_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mapped(byte[] ipv4) {
        byte[] bytes = new byte[16];
        System.arraycopy(IPV4_MAPPED_PREFIX, 0, bytes, 0, 12);
        System.arraycopy(ipv4, 0, bytes, 12, 4);
        return bytes;
    }
}
