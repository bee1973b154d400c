package io.github.smtpshield.policy.dns;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Does the sender's domain exist for mail? RFC 5321 §5.1: its MX records, or when it has none its
 * A/AAAA records (the "implicit MX"). A null MX (RFC 7505) means the domain accepts no mail.
 * A temporary DNS problem anywhere on the way gives {@link SenderDomainVerdict#TEMPORARY_FAILURE},
 * never a permanent verdict. At most two lookup rounds (MX, then A and AAAA together), each bounded
 * by the client's timeout.
 */
public final class SenderDomainLookup {

    private static final Logger LOGGER = LoggerFactory.getLogger(SenderDomainLookup.class);

    private final DnsClient dns;

    public SenderDomainLookup(DnsClient dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /**
     * Looks the sender's domain up: MX first, then A and AAAA.
     *
     * @param domain the domain of a MAIL FROM address (not the null sender), as the client wrote it
     * @return the verdict; the future always completes normally
     */
    public CompletableFuture<SenderDomainVerdict> check(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (MailDomain.isAddressLiteral(domain)) {
            return completedFuture(SenderDomainVerdict.OK);
        }
        Optional<Name> name = MailDomain.toName(domain);
        if (name.isEmpty()) {
            return completedFuture(SenderDomainVerdict.UNKNOWN_DOMAIN);
        }
        CompletableFuture<DnsAnswer> mx = dns.lookup(name.get(), Type.MX);
        if (mx.isDone() && !mx.isCompletedExceptionally()) {
            return fromMx(name.get(), mx.join()); // from the cache: no stage to chain
        }
        return mx.thenCompose(answer -> fromMx(name.get(), answer)).exceptionally(unexpected -> {
            LOGGER.warn("Sender domain check of {} failed, answering as for a DNS failure", domain, unexpected);
            return SenderDomainVerdict.TEMPORARY_FAILURE;
        });
    }

    private CompletableFuture<SenderDomainVerdict> fromMx(Name name, DnsAnswer mx) {
        return switch (mx.status()) {
            case FOUND ->
                completedFuture(isNullMx(mx.records()) ? SenderDomainVerdict.NULL_MX : SenderDomainVerdict.OK);
            case NO_DATA -> fromAddresses(name);
            case NXDOMAIN -> completedFuture(SenderDomainVerdict.UNKNOWN_DOMAIN);
            case SERVFAIL, TIMEOUT -> completedFuture(SenderDomainVerdict.TEMPORARY_FAILURE);
        };
    }

    /** A and AAAA asked together; one address is enough, so the first found decides without waiting for the other. */
    @SuppressWarnings("FutureReturnValueIgnored") // the stages complete the verdict; nothing waits on them
    private CompletableFuture<SenderDomainVerdict> fromAddresses(Name name) {
        CompletableFuture<DnsAnswer> a = dns.lookup(name, Type.A);
        CompletableFuture<DnsAnswer> aaaa = dns.lookup(name, Type.AAAA);
        CompletableFuture<SenderDomainVerdict> verdict = new CompletableFuture<>();
        a.thenAccept(answer -> completeIfFound(answer, verdict));
        aaaa.thenAccept(answer -> completeIfFound(answer, verdict));
        a.thenCombine(aaaa, SenderDomainLookup::fromAddressAnswers)
                .whenComplete((both, failure) ->
                        verdict.complete(failure == null ? both : SenderDomainVerdict.TEMPORARY_FAILURE));
        return verdict;
    }

    private static void completeIfFound(DnsAnswer answer, CompletableFuture<SenderDomainVerdict> verdict) {
        if (answer.status() == DnsAnswer.Status.FOUND) {
            verdict.complete(SenderDomainVerdict.OK);
        }
    }

    private static SenderDomainVerdict fromAddressAnswers(DnsAnswer a, DnsAnswer aaaa) {
        if (a.status() == DnsAnswer.Status.FOUND || aaaa.status() == DnsAnswer.Status.FOUND) {
            return SenderDomainVerdict.OK;
        }
        if (a.isTemporary() || aaaa.isTemporary()) {
            return SenderDomainVerdict.TEMPORARY_FAILURE;
        }
        return SenderDomainVerdict.UNKNOWN_DOMAIN;
    }

    /** RFC 7505 §3: a single MX, preference 0, exchange "." (the root). */
    private static boolean isNullMx(List<Record> mxRecords) {
        return mxRecords.size() == 1
                && mxRecords.get(0) instanceof MXRecord mx
                && mx.getPriority() == 0
                && mx.getTarget().equals(Name.root);
    }
}
