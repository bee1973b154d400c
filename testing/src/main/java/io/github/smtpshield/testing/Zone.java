package io.github.smtpshield.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The data of a {@link LoopbackDnsServer} and the one function that turns a query into an answer.
 * Thread-safe: records may be added while queries are being answered.
 */
final class Zone {

    private enum Fault {
        SERVFAIL,
        SILENT
    }

    private static final Name SOA_HOST = name("ns.loopback.");
    private static final Name SOA_ADMIN = name("hostmaster.loopback.");

    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    /** Names that own records, and all their ancestors: an empty non-terminal exists too (no data, not NXDOMAIN). */
    private final Set<Name> existingNames = ConcurrentHashMap.newKeySet();
    /** Keyed by name and type; {@link Type#ANY} stands for every type. */
    private final Map<Question, Fault> faults = new ConcurrentHashMap<>();
    /** Zones whose every name, the apex and all below, is never answered: a domain whose servers are all down. */
    private final Set<Name> silentZones = ConcurrentHashMap.newKeySet();

    private final Map<Name, AtomicInteger> queryCounts = new ConcurrentHashMap<>();
    private final AtomicInteger totalQueries = new AtomicInteger();
    private volatile long negativeTtlSeconds = 60;

    void add(Record record) {
        records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>())
                .add(record);
        Name name = record.getName();
        for (int strip = 0; strip < name.labels(); strip++) {
            existingNames.add(new Name(name, strip));
        }
    }

    void servfail(Name name, int type) {
        faults.put(new Question(name, type), Fault.SERVFAIL);
    }

    void silent(Name name, int type) {
        faults.put(new Question(name, type), Fault.SILENT);
    }

    void silentZone(Name apex) {
        silentZones.add(apex);
    }

    void negativeTtl(Duration ttl) {
        negativeTtlSeconds = ttl.toSeconds();
    }

    int queryCount(Name name) {
        AtomicInteger count = queryCounts.get(name);
        return count == null ? 0 : count.get();
    }

    int queryCount() {
        return totalQueries.get();
    }

    int queryCountUnder(Name apex) {
        return queryCounts.entrySet().stream()
                .filter(entry -> entry.getKey().subdomain(apex))
                .mapToInt(entry -> entry.getValue().get())
                .sum();
    }

    /** The response to {@code query}, or empty when the server must stay silent. */
    Optional<Message> answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            header.setRcode(Rcode.NOTIMP);
            return Optional.of(response);
        }
        if (question == null) {
            header.setRcode(Rcode.FORMERR);
            return Optional.of(response);
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        totalQueries.incrementAndGet();
        queryCounts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();

        Fault fault =
                faults.getOrDefault(new Question(name, question.getType()), faults.get(new Question(name, Type.ANY)));
        if (fault == Fault.SILENT || inSilentZone(name)) {
            return Optional.empty();
        }
        if (fault == Fault.SERVFAIL) {
            header.setRcode(Rcode.SERVFAIL);
            return Optional.of(response);
        }
        header.setFlag(Flags.AA);
        if (!existingNames.contains(name)) {
            header.setRcode(Rcode.NXDOMAIN);
            response.addRecord(soaFor(name), Section.AUTHORITY);
            return Optional.of(response);
        }
        List<Record> matching = records.getOrDefault(name, List.of()).stream()
                .filter(r -> question.getType() == Type.ANY || r.getType() == question.getType())
                .toList();
        if (matching.isEmpty()) {
            response.addRecord(soaFor(name), Section.AUTHORITY);
        }
        matching.forEach(r -> response.addRecord(r, Section.ANSWER));
        return Optional.of(response);
    }

    private boolean inSilentZone(Name name) {
        for (int strip = 0; strip < name.labels(); strip++) {
            if (silentZones.contains(new Name(name, strip))) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 2308: a negative answer carries the zone's SOA, whose TTL and minimum tell how long to cache it.
     * The server has no real zones: the top-level label of the name stands in for the apex.
     */
    private SOARecord soaFor(Name name) {
        Name apex = name.labels() >= 2 ? new Name(name, name.labels() - 2) : Name.root;
        long ttl = negativeTtlSeconds;
        return new SOARecord(apex, DClass.IN, ttl, SOA_HOST, SOA_ADMIN, 1, 3600, 600, 86400, ttl);
    }

    private record Question(Name name, int type) {}

    static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + text, e);
        }
    }
}
