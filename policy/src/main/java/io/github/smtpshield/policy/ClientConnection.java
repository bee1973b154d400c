package io.github.smtpshield.policy;

import io.github.smtpshield.policy.dns.ReverseDnsVerdict;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SMTP connection as the policy sees it: the client, its counting key, and what the shield holds for it.
 * An adapter keeps it with the session and hands it back at each event; the events of one connection come one
 * at a time.
 */
public final class ClientConnection {
    private final InetAddress address;
    private final IpPrefix key;
    private final boolean exemptNetwork;
    private final AtomicBoolean holdsConnectionSlot = new AtomicBoolean();
    private volatile boolean authenticated;
    private final AtomicInteger failedCommands = new AtomicInteger();
    private volatile CompletableFuture<ReverseDnsVerdict> reverseDns;

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

    /** The connection was admitted and counted: it must be released exactly once when it closes. */
    public void holdConnectionSlot() {
        holdsConnectionSlot.set(true);
    }

    /** Gives the connection slot back: true if the connection held one, which it no longer holds. */
    public boolean releaseConnectionSlot() {
        return holdsConnectionSlot.getAndSet(false);
    }

    /** One more command of this connection was answered 4xx/5xx; never reset while the connection lives. */
    public int recordFailedCommand() {
        return failedCommands.incrementAndGet();
    }

    public int failedCommands() {
        return failedCommands.get();
    }

    /** The PTR lookup of the client's address, started at connect and answered at MAIL FROM. */
    public void reverseDns(CompletableFuture<ReverseDnsVerdict> lookup) {
        this.reverseDns = lookup;
    }

    /** The PTR lookup started at connect; empty when none was started (exempt network, check off). */
    public Optional<CompletableFuture<ReverseDnsVerdict>> reverseDns() {
        return Optional.ofNullable(reverseDns);
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
