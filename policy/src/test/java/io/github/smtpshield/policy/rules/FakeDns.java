package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.DnsClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Canned DNS answers by name and type; any other question is NXDOMAIN, and a {@link #silent} name's future never
 * completes (the rules must bound their wait themselves).
 */
final class FakeDns implements DnsClient {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final Map<String, CompletableFuture<DnsAnswer>> answers = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    FakeDns answer(String name, int type, DnsAnswer answer) {
        answers.put(key(name, type), CompletableFuture.completedFuture(answer));
        return this;
    }

    FakeDns mx(String domain, String exchange) {
        return answer(
                domain,
                Type.MX,
                DnsAnswer.found(List.of(new MXRecord(name(domain), DClass.IN, 300, 10, name(exchange))), TTL));
    }

    /** RFC 7505: one MX, preference 0, exchange ".". */
    FakeDns nullMx(String domain) {
        return answer(
                domain,
                Type.MX,
                DnsAnswer.found(List.of(new MXRecord(name(domain), DClass.IN, 300, 0, Name.root)), TTL));
    }

    FakeDns ptr(String reverseName, String host) {
        return answer(
                reverseName,
                Type.PTR,
                DnsAnswer.found(List.of(new PTRRecord(name(reverseName), DClass.IN, 300, name(host))), TTL));
    }

    FakeDns silent(String name, int type) {
        answers.put(key(name, type), new CompletableFuture<>());
        return this;
    }

    int lookups() {
        return lookups.get();
    }

    @Override
    public CompletableFuture<DnsAnswer> lookup(Name name, int type) {
        lookups.incrementAndGet();
        CompletableFuture<DnsAnswer> answer = answers.get(key(name.toString(), type));
        return answer == null ? CompletableFuture.completedFuture(DnsAnswer.nxdomain(TTL)) : answer.copy();
    }

    private static String key(String name, int type) {
        String absolute = name.endsWith(".") ? name : name + ".";
        return absolute.toLowerCase(Locale.ROOT) + "/" + Type.string(type);
    }

    static Name name(String name) {
        try {
            return Name.fromString(name, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }
}
