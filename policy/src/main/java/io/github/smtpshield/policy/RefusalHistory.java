package io.github.smtpshield.policy;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this node refused in the last hour, minute by minute, for the operator's console: per rule (refused, and
 * would-be refused in observe mode) and per client key. {@link Enforcement} feeds it from the refusal path.
 *
 * <p>A ring of {@value #MINUTES} one-minute slots, reused as the clock moves on, so it never grows: a slot counts at
 * most {@value #CLIENTS_PER_MINUTE} client keys (the others' refusals still count for their rule) and as many rules
 * as the registry has. It is per node and in memory: a restart starts it again, and in a cluster each node shows its
 * own.
 */
public final class RefusalHistory {
    public static final int MINUTES = 60;
    static final int CLIENTS_PER_MINUTE = 1000;

    private final Clock clock;
    private final Slot[] slots = new Slot[MINUTES];

    public RefusalHistory(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < MINUTES; i++) {
            slots[i] = new Slot();
        }
    }

    /** One minute's counts: per rule, refused and observed; per client key, both together. */
    public record Minute(Instant start, Map<String, Long> refused, Map<String, Long> observed) {}

    /** How often a client key was refused (or would have been, in observe mode) in the last hour. */
    public record ClientRefusals(IpPrefix client, long refused, long observed) {
        long total() {
            return refused + observed;
        }
    }

    /** One refusal under the rule named {@code rule}; {@code client} is null for a mail that met no SMTP client. */
    public synchronized void record(String rule, boolean observed, IpPrefix client) {
        Slot slot = current();
        (observed ? slot.observed : slot.refused).merge(rule, 1L, Long::sum);
        if (client != null) {
            long[] counts = slot.clients.get(client);
            if (counts == null && slot.clients.size() < CLIENTS_PER_MINUTE) {
                counts = new long[2];
                slot.clients.put(client, counts);
            }
            if (counts != null) {
                counts[observed ? 1 : 0]++;
            }
        }
    }

    /** The last {@value #MINUTES} minutes, oldest first, the current minute last; a quiet minute has empty maps. */
    public synchronized List<Minute> minutes() {
        long now = epochMinute();
        List<Minute> minutes = new ArrayList<>(MINUTES);
        for (long minute = now - MINUTES + 1; minute <= now; minute++) {
            Slot slot = slots[index(minute)];
            boolean counted = slot.minute == minute;
            minutes.add(new Minute(
                    Instant.ofEpochSecond(minute * 60),
                    counted ? new TreeMap<>(slot.refused) : Map.of(),
                    counted ? new TreeMap<>(slot.observed) : Map.of()));
        }
        return minutes;
    }

    /** The {@code limit} client keys with the most refusals in the last hour, most first. */
    public synchronized List<ClientRefusals> topClients(int limit) {
        long now = epochMinute();
        Map<IpPrefix, long[]> sums = new HashMap<>();
        for (Slot slot : slots) {
            if (slot.minute > now - MINUTES) {
                slot.clients.forEach((client, counts) -> {
                    long[] sum = sums.computeIfAbsent(client, c -> new long[2]);
                    sum[0] += counts[0];
                    sum[1] += counts[1];
                });
            }
        }
        return sums.entrySet().stream()
                .map(entry -> new ClientRefusals(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
                .sorted(Comparator.comparingLong(ClientRefusals::total)
                        .reversed()
                        .thenComparing(refusals -> refusals.client().toString()))
                .limit(limit)
                .toList();
    }

    /** A rule's refusals in the last hour. */
    public record RuleRefusals(long refused, long observed) {
        RuleRefusals plus(RuleRefusals other) {
            return new RuleRefusals(refused + other.refused, observed + other.observed);
        }
    }

    /** Per rule that refused anything in the last hour, its refusals, rules in name order. */
    public Map<String, RuleRefusals> lastHourByRule() {
        Map<String, RuleRefusals> byRule = new TreeMap<>();
        for (Minute minute : minutes()) {
            minute.refused().forEach((rule, n) -> byRule.merge(rule, new RuleRefusals(n, 0), RuleRefusals::plus));
            minute.observed().forEach((rule, n) -> byRule.merge(rule, new RuleRefusals(0, n), RuleRefusals::plus));
        }
        return byRule;
    }

    /** The slot of the current minute, emptied first if it last counted an older minute. */
    private Slot current() {
        long minute = epochMinute();
        Slot slot = slots[index(minute)];
        if (slot.minute != minute) {
            slot.minute = minute;
            slot.refused.clear();
            slot.observed.clear();
            slot.clients.clear();
        }
        return slot;
    }

    private long epochMinute() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }

    private static int index(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES);
    }

    private static final class Slot {
        long minute = Long.MIN_VALUE;
        final Map<String, Long> refused = new HashMap<>();
        final Map<String, Long> observed = new HashMap<>();
        final Map<IpPrefix, long[]> clients = new HashMap<>();
    }
}
