package io.github.smtpshield.policy.dns;

import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * Does the client address have reverse DNS? A PTR lookup under in-addr.arpa (IPv4) or ip6.arpa (IPv6).
 * Unlike James's {@code DNSService.getHostName}, it tells "no PTR" from "DNS did not answer".
 */
public final class ReverseDnsLookup {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReverseDnsLookup.class);

    private final DnsClient dns;

    public ReverseDnsLookup(DnsClient dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /** Looks up the client address's PTR; the future of its verdict always completes normally. */
    public CompletableFuture<ReverseDnsVerdict> lookup(InetAddress client) {
        CompletableFuture<DnsAnswer> ptr = dns.lookup(ReverseMap.fromAddress(client), Type.PTR);
        if (ptr.isDone() && !ptr.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(verdict(ptr.join())); // from the cache: no stage to chain
        }
        return ptr.thenApply(ReverseDnsLookup::verdict).exceptionally(unexpected -> {
            LOGGER.warn("Reverse DNS lookup of {} failed, answering as for a DNS failure", client, unexpected);
            return ReverseDnsVerdict.TEMPORARY_FAILURE;
        });
    }

    private static ReverseDnsVerdict verdict(DnsAnswer answer) {
        return switch (answer.status()) {
            case FOUND -> ReverseDnsVerdict.HAS_PTR;
            case NXDOMAIN, NO_DATA -> ReverseDnsVerdict.NO_PTR;
            case SERVFAIL, TIMEOUT -> ReverseDnsVerdict.TEMPORARY_FAILURE;
        };
    }
}
