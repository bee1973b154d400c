package io.github.smtpshield.policy.dns;

import java.time.Duration;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/** Turns a DNS response into a {@link DnsAnswer}. */
final class ResponseReader {

    /** RFC 2308 asks for an SOA with every negative answer; a server that sends none gets this. */
    static final Duration NEGATIVE_TTL_WITHOUT_SOA = Duration.ofSeconds(60);

    private ResponseReader() {}

    static DnsAnswer read(Message response, int type) {
        return switch (response.getRcode()) {
            case Rcode.NOERROR -> readNoError(response, type);
            case Rcode.NXDOMAIN -> DnsAnswer.nxdomain(negativeTtl(response));
            // REFUSED, FORMERR, NOTIMP... are as temporary as SERVFAIL from where we stand: the name may well exist
            default -> DnsAnswer.servfail();
        };
    }

    private static DnsAnswer readNoError(Message response, int type) {
        List<Record> answerSection = response.getSection(Section.ANSWER);
        // A CNAME chain comes with the records it leads to: keep the asked type, let the chain's TTLs bound the
        // answer's
        List<Record> records =
                answerSection.stream().filter(r -> r.getType() == type).toList();
        if (records.isEmpty()) {
            return DnsAnswer.noData(negativeTtl(response));
        }
        long ttl = answerSection.stream().mapToLong(Record::getTTL).min().orElseThrow();
        return DnsAnswer.found(records, Duration.ofSeconds(ttl));
    }

    /** RFC 2308 §5: a negative answer lives as long as the smaller of the SOA's TTL and its minimum field. */
    private static Duration negativeTtl(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(SOARecord.class::isInstance)
                .map(SOARecord.class::cast)
                .findFirst()
                .map(soa -> Duration.ofSeconds(Math.min(soa.getTTL(), soa.getMinimum())))
                .orElse(NEGATIVE_TTL_WITHOUT_SOA);
    }
}
