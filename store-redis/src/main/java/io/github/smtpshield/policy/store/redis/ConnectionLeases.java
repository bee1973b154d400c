package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.WarningThrottle;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's open connections in Redis, each a lease: a member {@code node:sequence} of its client's connections
 * set, scored with the end of the lease. It remembers which of its ids belong to which client key, so that a
 * disconnect releases one of its own, and renews them all every third of the lease (by the store's background
 * thread): a node that dies stops renewing, so its connections stop counting within the lease without any other node
 * cleaning up for it.
 *
 * <p>A count it could not take back (a release that failed, or a connect that timed out and may still be carried out
 * when Redis catches up) waits in a bounded queue of pending releases, sent at the next round or as soon as Redis
 * answers in time again; a full queue leaves them to their leases. At close it releases all its connections (best
 * effort: otherwise their leases end them).
 *
 * <p>A batch of renewals or releases is one script per hash slot and at most {@value #LEASES_PER_SCRIPT} leases,
 * every script in flight at once. Log lines: one WARN a minute at most when renewing fails.
 */
final class ConnectionLeases {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClientStore.class);
    private static final int MAX_PENDING_RELEASES = 100_000;
    private static final int LEASES_PER_SCRIPT = 500;

    static final Script<Long> RELEASE = Script.answeringANumber("release");
    private static final Script<Long> RENEW = Script.answeringANumber("renew");

    private final RedisLink link;
    private final Clock clock;
    private final long leaseMillis;
    private final String node = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    /** This node's connection ids per client key: the leases it renews and releases. */
    private final ConcurrentMap<IpPrefix, ConcurrentLinkedDeque<String>> held = new ConcurrentHashMap<>();
    /** Connection counts to take back once Redis answers; bounded. */
    private final BlockingQueue<Lease> pendingReleases = new LinkedBlockingQueue<>(MAX_PENDING_RELEASES);

    private final WarningThrottle renewalWarnings = WarningThrottle.perMinute();

    /** One open connection in Redis: the client's connections key and the connection's id there. */
    record Lease(String connectionsKey, String id) {
        static Lease of(IpPrefix key, String id) {
            return new Lease(Keys.connections(key), id);
        }
    }

    ConnectionLeases(RedisLink link, Clock clock, long leaseMillis) {
        this.link = link;
        this.clock = clock;
        this.leaseMillis = leaseMillis;
    }

    /** This node, as the prefix of its connection ids. */
    String node() {
        return node;
    }

    /** A new connection id, unique across nodes. */
    String newId() {
        return node + ":" + sequence.incrementAndGet();
    }

    long leaseMillis() {
        return leaseMillis;
    }

    /** Redis counted connection {@code id} of {@code key}: this node holds it until {@link #takeOne}. */
    void hold(IpPrefix key, String id) {
        held.compute(key, (k, ids) -> {
            ConcurrentLinkedDeque<String> mine = ids == null ? new ConcurrentLinkedDeque<>() : ids;
            mine.push(id);
            return mine;
        });
    }

    /** One connection of {@code key} this node holds, no longer held; null if it holds none. */
    String takeOne(IpPrefix key) {
        String[] taken = {null};
        held.computeIfPresent(key, (k, ids) -> {
            taken[0] = ids.poll();
            return ids.isEmpty() ? null : ids;
        });
        return taken[0];
    }

    /** A count to take back once Redis answers again; until then, or if the queue is full, its lease ends it. */
    void releaseLater(IpPrefix key, String id) {
        pendingReleases.offer(Lease.of(key, id));
    }

    /** A round of the background thread: the pending releases, then the renewal of every held lease. */
    void renew() {
        releasePending();
        List<Lease> leases = heldLeases();
        try {
            long now = clock.millis();
            runInBatches(RENEW, leases, Long.toString(now), Long.toString(now + leaseMillis));
        } catch (StoreUnavailableException e) {
            if (renewalWarnings.record() > 0) {
                LOG.warn(
                        "SMTP Shield: could not renew the leases of {} open connections in Redis: {}",
                        leases.size(),
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("SMTP Shield: renewing the connection leases failed", e);
        }
    }

    /** Sends the releases that failed; those that fail again wait for the next round. */
    void releasePending() {
        List<Lease> batch = new ArrayList<>();
        pendingReleases.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            runInBatches(RELEASE, batch, Long.toString(clock.millis()));
        } catch (RuntimeException e) {
            LOG.debug("SMTP Shield: {} releases wait for the next round", batch.size(), e);
            batch.forEach(pendingReleases::offer);
        }
    }

    /** At close: releases every connection this node holds, if there is a connection to release them through. */
    void releaseAll() {
        List<Lease> leases = heldLeases();
        held.clear();
        if (leases.isEmpty() || !link.connected()) {
            return;
        }
        try {
            runInBatches(RELEASE, leases, Long.toString(clock.millis()));
        } catch (RuntimeException e) {
            LOG.info(
                    "SMTP Shield: could not release {} connections in Redis at close ({}); their leases will end them",
                    leases.size(),
                    e.getMessage());
        }
    }

    private List<Lease> heldLeases() {
        List<Lease> leases = new ArrayList<>();
        held.forEach((key, ids) -> ids.forEach(id -> leases.add(Lease.of(key, id))));
        return leases;
    }

    /**
     * Runs {@code script} (renew or release) over many leases: one run per hash slot (the keys of one Redis: all one
     * slot) and at most {@value #LEASES_PER_SCRIPT} leases. Keys: the leases' connections keys; arguments:
     * {@code leading}, then the leases' ids in the same order.
     */
    private void runInBatches(Script<Long> script, List<Lease> leases, String... leading) {
        Map<Integer, List<Lease>> bySlot = new LinkedHashMap<>();
        for (Lease lease : leases) {
            bySlot.computeIfAbsent(link.slot(lease.connectionsKey()), slot -> new ArrayList<>())
                    .add(lease);
        }
        List<CompletionStage<Long>> runs = new ArrayList<>();
        for (List<Lease> slot : bySlot.values()) {
            for (int from = 0; from < slot.size(); from += LEASES_PER_SCRIPT) {
                List<Lease> batch = slot.subList(from, Math.min(slot.size(), from + LEASES_PER_SCRIPT));
                List<String> args = new ArrayList<>(List.of(leading));
                batch.forEach(lease -> args.add(lease.id()));
                runs.add(link.start(
                        script,
                        batch.stream().map(Lease::connectionsKey).toArray(String[]::new),
                        args.toArray(String[]::new)));
            }
        }
        link.awaitAll(script, runs);
    }
}
