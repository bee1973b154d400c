package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.testing.ClientAddresses;

/** Distinct client keys as a busy MX sees them: three in four IPv4 /32, one in four IPv6 /64 ({@link ClientAddresses}). */
final class Clients {

    private Clients() {}

    /** The first {@code count} keys. */
    static IpPrefix[] keys(int count) {
        IpPrefix[] keys = new IpPrefix[count];
        for (int i = 0; i < count; i++) {
            keys[i] = key(i);
        }
        return keys;
    }

    /** The {@code i}th key, made on demand (a flood of millions needs no array). */
    static IpPrefix key(int i) {
        return IpPrefix.clientKey(ClientAddresses.mixed(i));
    }
}
