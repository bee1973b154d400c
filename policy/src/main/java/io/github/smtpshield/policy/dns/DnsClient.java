package io.github.smtpshield.policy.dns;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Name;

/**
 * Asynchronous DNS lookups. Callers run on SMTP event loops: {@link #lookup} never blocks, and the
 * future it returns completes on another thread (or is already complete, from a cache).
 */
public interface DnsClient {

    /**
     * Looks up the records of one type.
     *
     * @param name an absolute domain name
     * @param type a record type, as in {@link org.xbill.DNS.Type} ({@code Type.MX}, {@code Type.PTR}...)
     * @return a future that always completes normally, within the client's timeout: failures are
     *     {@link DnsAnswer.Status#SERVFAIL} or {@link DnsAnswer.Status#TIMEOUT} answers, not exceptions
     */
    CompletableFuture<DnsAnswer> lookup(Name name, int type);

    /**
     * The answer the client already has for the question (cached, or a failure of the name it remembers), without
     * asking anyone; empty when a lookup would have to ask.
     */
    default Optional<DnsAnswer> known(Name name, int type) {
        return Optional.empty();
    }
}
