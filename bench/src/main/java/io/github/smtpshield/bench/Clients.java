package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.ClientKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;

/** Distinct client keys as a busy MX sees them: three in four IPv4 /32, one in four IPv6 /64. */
final class Clients {

    private Clients() {
    }

    static ClientKey[] mixed(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ClientKey[] keys = new ClientKey[count];
        for (int i = 0; i < count; i++) {
            keys[i] = mixed(i, random);
        }
        return keys;
    }

    /** The {@code i}th key of {@link #mixed(int, long)}, made on demand (a flood of millions needs no array). */
    static ClientKey mixed(int i, SplittableRandom random) {
        return i % 4 == 3 ? ipv6(i, random) : ipv4(i);
    }

    /** 10.0.0.0 + i: distinct for up to 2^24 clients. */
    private static ClientKey ipv4(int i) {
        int address = 0x0A00_0000 + i;
        return key(new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    }

    /** 2001:db8:&lt;i&gt;::/64 with a random host part, which the /64 grouping drops. */
    private static ClientKey ipv6(int i, SplittableRandom random) {
        byte[] address = new byte[16];
        random.nextBytes(address);
        address[0] = 0x20;
        address[1] = 0x01;
        address[2] = 0x0d;
        address[3] = (byte) 0xb8;
        for (int b = 0; b < 4; b++) {
            address[4 + b] = (byte) (i >>> (24 - 8 * b));
        }
        return key(address);
    }

    private static ClientKey key(byte[] address) {
        try {
            return ClientKey.of(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
