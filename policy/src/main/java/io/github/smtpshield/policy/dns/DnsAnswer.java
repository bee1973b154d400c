package io.github.smtpshield.policy.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Record;

/**
 * The outcome of one DNS lookup, as the checks need it: "there is nothing" (NXDOMAIN, NO_DATA) is a
 * fact that may justify a permanent rejection; "we could not find out" (SERVFAIL, TIMEOUT) never does.
 *
 * @param status  what kind of answer this is
 * @param records the records of the asked type; not empty exactly when {@code status} is FOUND
 * @param ttl     how long the DNS lets this answer be reused (record TTL, or the SOA's for a negative
 *                answer); zero for temporary failures
 */
public record DnsAnswer(Status status, List<Record> records, Duration ttl) {

    /** The kinds of answer a lookup can end with. */
    public enum Status {
        /** NOERROR with at least one record of the asked type. */
        FOUND,
        /** The name does not exist. */
        NXDOMAIN,
        /** The name exists, without any record of the asked type (NOERROR, empty answer). */
        NO_DATA,
        /** SERVFAIL, any other error rcode (REFUSED, FORMERR...), or no server reachable: temporary. */
        SERVFAIL,
        /** No answer within the timeout: temporary. */
        TIMEOUT;

        public boolean isTemporary() {
            return this == SERVFAIL || this == TIMEOUT;
        }
    }

    public DnsAnswer {
        Objects.requireNonNull(status, "status");
        records = List.copyOf(records);
        Objects.requireNonNull(ttl, "ttl");
        if ((status == Status.FOUND) == records.isEmpty()) {
            throw new IllegalArgumentException(status + " with " + records.size() + " record(s)");
        }
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("negative ttl " + ttl);
        }
    }

    public static DnsAnswer found(List<? extends Record> records, Duration ttl) {
        return new DnsAnswer(Status.FOUND, List.copyOf(records), ttl);
    }

    public static DnsAnswer nxdomain(Duration ttl) {
        return new DnsAnswer(Status.NXDOMAIN, List.of(), ttl);
    }

    public static DnsAnswer noData(Duration ttl) {
        return new DnsAnswer(Status.NO_DATA, List.of(), ttl);
    }

    public static DnsAnswer servfail() {
        return new DnsAnswer(Status.SERVFAIL, List.of(), Duration.ZERO);
    }

    public static DnsAnswer timeout() {
        return new DnsAnswer(Status.TIMEOUT, List.of(), Duration.ZERO);
    }

    public boolean isTemporary() {
        return status.isTemporary();
    }
}
