package io.github.smtpshield.policy.dns;

import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * Does the client address have reverse DNS? A PTR lookup under in-addr.arpa (IPv4) or ip6.arpa (IPv6).
 * Unlike James's {@code DNSService.getHostName}, it tells "no PTR" from "DNS did not answer".
 */
public final class ReverseDnsCheck {

    private static final Logger LOGGER = LoggerFactory.getLogger(ReverseDnsCheck.class);

    private final DnsClient dns;

    public ReverseDnsCheck(DnsClient dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /** Looks up the client address's PTR; the future of its verdict always completes normally. */
    public CompletableFuture<ReverseDnsVerdict> lookup(InetAddress client) {
        return dns.lookup(ReverseMap.fromAddress(client), Type.PTR)
                .thenApply(ReverseDnsCheck::verdict)
                .exceptionally(unexpected -> {
                    LOGGER.warn("Reverse DNS lookup of {} failed, answering as for a DNS failure", client, unexpected);
                    return ReverseDnsVerdict.temporaryFailure();
                });
    }

    private static ReverseDnsVerdict verdict(DnsAnswer answer) {
        return switch (answer.status()) {
            case FOUND ->
                ReverseDnsVerdict.hasPtr(
                        ((PTRRecord) answer.records().get(0)).getTarget().toString(true));
            case NXDOMAIN, NO_DATA -> ReverseDnsVerdict.noPtr();
            case SERVFAIL, TIMEOUT -> ReverseDnsVerdict.temporaryFailure();
        };
    }
}
