package io.github.smtpshield.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Distinct client addresses as a busy MX, or a flood from spoofed sources, shows them: three in four an IPv4 address
 * (10.0.0.0 + i, distinct for up to 2^24 clients), one in four an address in its own IPv6 /64
 * (2001:db8:&lt;i&gt;::/64) with a host part that the shield's /64 grouping drops.
 */
public final class ClientAddresses {
    private ClientAddresses() {}

    /** The {@code i}th address, the same on every call. */
    public static InetAddress mixed(int i) {
        byte[] address;
        if (i % 4 == 3) {
            address = new byte[16];
            address[0] = 0x20;
            address[1] = 0x01;
            address[2] = 0x0d;
            address[3] = (byte) 0xb8;
            for (int b = 0; b < 4; b++) {
                address[4 + b] = (byte) (i >>> (24 - 8 * b));
            }
            address[15] = (byte) i;
        } else {
            int v4 = 0x0A00_0000 + i;
            address = new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
