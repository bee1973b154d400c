package io.github.smtpshield.policy.dns;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;

/**
 * How long {@link DnsJavaClient} keeps an answer: its DNS TTL, within bounds of our own. A long TTL must
 * not pin a stale answer for a day, a "does not exist" must be rechecked soon (the sender may be fixing
 * their DNS right now), and a temporary failure is remembered briefly: a name whose servers do not answer is
 * not asked again by every client that names it (RFC 2308 §7 allows up to five minutes), nor waited for.
 */
final class AnswerLifetime implements Expiry<Question, DnsAnswer> {

    static final Duration MAX_POSITIVE = Duration.ofHours(1);
    static final Duration MAX_NEGATIVE = Duration.ofMinutes(5);
    static final Duration FAILURE = Duration.ofSeconds(30);

    static Duration of(DnsAnswer answer) {
        return switch (answer.status()) {
            case FOUND -> min(answer.ttl(), MAX_POSITIVE);
            case NXDOMAIN, NO_DATA -> min(answer.ttl(), MAX_NEGATIVE);
            case SERVFAIL, TIMEOUT -> FAILURE;
        };
    }

    @Override
    public long expireAfterCreate(Question question, DnsAnswer answer, long currentTime) {
        return of(answer).toNanos();
    }

    /** A new answer for the question: its own lifetime, not what was left of the old one's. */
    @Override
    public long expireAfterUpdate(Question question, DnsAnswer answer, long currentTime, long currentDuration) {
        return of(answer).toNanos();
    }

    /** Reading does not extend the life of an answer: its TTL counts from when it was received. */
    @Override
    public long expireAfterRead(Question question, DnsAnswer answer, long currentTime, long currentDuration) {
        return currentDuration;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
