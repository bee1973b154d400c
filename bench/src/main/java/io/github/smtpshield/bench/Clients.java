package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.ClientKey;
import io.github.smtpshield.testing.ClientAddresses;

/** Distinct client keys as a busy MX sees them: three in four IPv4 /32, one in four IPv6 /64 ({@link ClientAddresses}). */
final class Clients {

    private Clients() {}

    /** The first {@code count} keys. */
    static ClientKey[] keys(int count) {
        ClientKey[] keys = new ClientKey[count];
        for (int i = 0; i < count; i++) {
            keys[i] = key(i);
        }
        return keys;
    }

    /** The {@code i}th key, made on demand (a flood of millions needs no array). */
    static ClientKey key(int i) {
        return ClientKey.of(ClientAddresses.mixed(i));
    }
}
