package io.github.smtpshield.policy.store.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Gcra;
import io.github.smtpshield.policy.store.MessageSlot;
import io.github.smtpshield.policy.store.redis.Replies.MessageGrant;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hourly message budgets ({@code <maxMessagesPerHour>}) in Redis, and this node's allowance of them: messages
 * taken from a client's bucket ahead of their MAIL FROM, so that a busy client's MAIL FROMs mostly need no round trip.
 *
 * <p>The contract:
 *
 * <ul>
 *   <li><b>Never past the limit.</b> Every message a node admits was taken from the client's bucket in Redis, in one
 *       atomic script ({@code message_take.lua}); an allowance is only messages taken early.
 *   <li><b>The grant follows demand.</b> A client's first take asks Redis for one message; each take from Redis while
 *       its allowance lives asks for twice the last, at most {@value #MAX_GRANT}. Redis grants no more than a
 *       sixteenth of what is left of the budget, and at least one: near its limit a client is decided message by
 *       message, as without an allowance, and a client that sends one message per connection costs one round trip
 *       per message, as before.
 *   <li><b>Short-lived.</b> What is left of an allowance {@link #LIFETIME} after its grant goes back to Redis
 *       ({@code message_return.lua}, not awaited; lost, it drains with time like any message). Meanwhile another node
 *       may refuse that client up to that many messages early: at most a sixteenth of its remaining budget.
 *   <li><b>Counted where it is spent.</b> This node's counters leave out its own unused allowance ({@link #unused});
 *       another node's counts, until it is spent or given back.
 * </ul>
 *
 * <p>A message taken and not sent (its transaction ended without an accepted message) goes back to Redis, as before.
 * Memory: at most {@value #MAX_CLIENTS} clients' allowances, each a few dozen bytes.
 */
final class MessageAllowances {
    static final int MAX_GRANT = 64;
    static final Duration LIFETIME = Duration.ofSeconds(10);
    private static final int MAX_CLIENTS = 100_000;

    static final Script<MessageGrant> TAKE = Script.answering("message_take", MessageGrant::decode);
    static final Script<Long> RETURN = Script.answeringANumber("message_return");

    private final RedisLink link;
    private final Clock clock;
    private final Cache<IpPrefix, Allowance> allowances;

    MessageAllowances(RedisLink link, Clock clock, ScheduledExecutorService background) {
        this.link = link;
        this.clock = clock;
        this.allowances = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterWrite(LIFETIME)
                // The store's clock, so that its tests can step it; a wall clock's jump only moves an expiry.
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .scheduler(Scheduler.forScheduledExecutorService(background))
                .executor(Runnable::run)
                .<IpPrefix, Allowance>removalListener((key, allowance, cause) -> giveBackUnused(key, allowance))
                .build();
    }

    /** A message of {@code key}'s budget for its MAIL FROM, from this node's allowance or else from Redis. */
    Optional<MessageSlot> take(IpPrefix key, Gcra rate, boolean countOverLimit) {
        Allowance held = allowances.getIfPresent(key);
        int want = 1;
        if (held != null && held.rate.equals(rate)) {
            MessageSlot slot = held.takeOne();
            if (slot != null) {
                return Optional.of(slot);
            }
            want = Math.min(MAX_GRANT, 2 * held.asked);
        } else if (held != null) {
            allowances.asMap().remove(key, held); // the limit changed: what is left of it goes back
        }
        MessageGrant grant = link.decide(
                TAKE,
                new String[] {Keys.state(key)},
                Long.toString(clock.millis()),
                Long.toString(rate.window()),
                Long.toString(rate.interval()),
                countOverLimit ? "1" : "0",
                Long.toString(want));
        if (grant.taken() > 0 && !grant.overLimit()) {
            allowances.asMap().merge(key, new Allowance(rate, grant, want), Allowance::joinedBy);
        }
        return grant.slot();
    }

    /** A message taken for a transaction that ended without an accepted message goes back to Redis. */
    void giveBack(IpPrefix key, Gcra rate, MessageSlot slot) {
        giveBack(key, rate, slot.drainsAt(), 1);
    }

    /**
     * The messages of {@code key}'s budget this node holds and has not used. Expired allowances are given back first,
     * on the connection, so that a count read after this call is of what was sent.
     */
    int unused(IpPrefix key) {
        allowances.cleanUp();
        Allowance held = allowances.getIfPresent(key);
        return held == null ? 0 : held.left.get();
    }

    /** At close: every unused allowance goes back to Redis. */
    void giveBackAll() {
        allowances.invalidateAll();
        allowances.cleanUp();
    }

    private void giveBackUnused(IpPrefix key, Allowance allowance) {
        if (key == null || allowance == null) {
            return;
        }
        int unused = allowance.left.getAndSet(0);
        if (unused > 0) {
            giveBack(key, allowance.rate, allowance.drainsAt, unused);
        }
    }

    private void giveBack(IpPrefix key, Gcra rate, long drainsAt, int count) {
        // Not awaited: undelivered, the messages drain with time as sent ones would.
        link.send(
                RETURN,
                new String[] {Keys.state(key)},
                () -> {},
                Long.toString(clock.millis()),
                Long.toString(rate.interval()),
                Long.toString(drainsAt),
                Long.toString(count));
    }

    /**
     * Messages granted and not used yet, taken at one rate; {@code drainsAt} is the bucket's drain time after the
     * grant (what a message of it gives back is bounded by it), {@code asked} how many the grant asked for.
     */
    private static final class Allowance {
        final Gcra rate;
        final long drainsAt;
        final int asked;
        final AtomicInteger left;

        Allowance(Gcra rate, MessageGrant grant, int asked) {
            this(rate, grant.drainsAt(), asked, grant.taken() - 1);
        }

        private Allowance(Gcra rate, long drainsAt, int asked, int left) {
            this.rate = rate;
            this.drainsAt = drainsAt;
            this.asked = asked;
            this.left = new AtomicInteger(left);
        }

        /** One message of it, or null when it is spent. */
        MessageSlot takeOne() {
            int now;
            do {
                now = left.get();
                if (now == 0) {
                    return null;
                }
            } while (!left.compareAndSet(now, now - 1));
            return new MessageSlot(drainsAt, false);
        }

        /**
         * Two sessions of the client took from Redis at once: one allowance holds both grants' messages (taken from
         * this one, which then gives nothing back), or, at another rate, the newer grant alone.
         */
        Allowance joinedBy(Allowance newer) {
            if (!rate.equals(newer.rate)) {
                return newer;
            }
            return new Allowance(
                    rate,
                    Math.max(drainsAt, newer.drainsAt),
                    Math.max(asked, newer.asked),
                    left.getAndSet(0) + newer.left.get());
        }
    }
}
