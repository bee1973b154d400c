package io.github.smtpshield.policy.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The name a DNS list is asked about a client address under, as the lists' convention (RFC 5782 §2.1, §2.4) says:
 * IPv4 as its four octets reversed ({@code 192.0.2.99} in {@code bl.example}: {@code 99.2.0.192.bl.example}), IPv6 as
 * its 32 nibbles reversed ({@code 2001:db8::1}: {@code 1.0.0.0 ... 8.b.d.0.1.0.0.2.bl.example}).
 */
public final class DnsblQuery {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DnsblQuery() {}

    /** The absolute name to ask for an A record about {@code client} in {@code zone}. */
    public static Name of(InetAddress client, String zone) {
        byte[] bytes = client.getAddress();
        StringBuilder name = new StringBuilder(bytes.length * 4 + zone.length() + 1);
        for (int i = bytes.length - 1; i >= 0; i--) {
            int octet = bytes[i] & 0xFF;
            if (client instanceof Inet4Address) {
                name.append(octet).append('.');
            } else {
                name.append(HEX[octet & 0xF])
                        .append('.')
                        .append(HEX[octet >>> 4])
                        .append('.');
            }
        }
        name.append(zone).append('.');
        try {
            return Name.fromString(name.toString());
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS zone: " + zone, e);
        }
    }
}
