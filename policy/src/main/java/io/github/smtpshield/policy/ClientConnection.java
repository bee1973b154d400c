package io.github.smtpshield.policy;

import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetAddress;

/**
 * One SMTP connection as the policy sees it: the client, its counting key, whether it authenticated, and what each rule
 * keeps for it ({@link #state}). An adapter keeps it with the session and hands it back with each event; the events of
 * one connection come one at a time.
 */
public final class ClientConnection {
    private final InetAddress address;
    private final IpPrefix key;
    private final boolean exemptNetwork;
    private volatile boolean authenticated;
    private Object[] states;

    public ClientConnection(InetAddress address, IpPrefix key, boolean exemptNetwork) {
        this.address = address;
        this.key = key;
        this.exemptNetwork = exemptNetwork;
    }

    public InetAddress address() {
        return address;
    }

    public IpPrefix key() {
        return key;
    }

    /** The client is in an exempt network: never counted, never refused, whatever its key's state. */
    public boolean exemptNetwork() {
        return exemptNetwork;
    }

    /** The client authenticated (SMTP AUTH) in this connection. */
    public void authenticated() {
        this.authenticated = true;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /** What a rule keeps with this connection under {@code key}; made on first use. */
    public synchronized <T> T state(SessionState<T> key) {
        if (states == null || states.length <= key.index()) {
            Object[] grown = new Object[SessionState.count()];
            if (states != null) {
                System.arraycopy(states, 0, grown, 0, states.length);
            }
            states = grown;
        }
        @SuppressWarnings("unchecked") // only state(key) writes the slot of key, with key's own kind of value
        T value = (T) states[key.index()];
        if (value == null) {
            value = key.initial();
            states[key.index()] = value;
        }
        return value;
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
