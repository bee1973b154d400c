package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Client connections for tests. */
final class Clients {
    private Clients() {}

    static ClientConnection client(String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip);
            return new ClientConnection(address, IpPrefix.clientKey(address, 32, 64), false);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
