package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.MessageSlot;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The decisions the SMTP adapter asks of a per-IP store, one benchmark each. Subclasses give the store (filled so
 * that every client has state) and the clients (a power of two of them); JMH runs these methods for each subclass.
 */
public abstract class StoreDecisionBenchmark {

    static final Duration HOUR = Duration.ofHours(1);

    IpPrefix[] keys;
    ClientStore store;

    /** Each thread walks the clients from its own random start. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = new SplittableRandom().nextInt(Integer.MAX_VALUE);

        IpPrefix next(IpPrefix[] keys) {
            next = (next + 1) & (keys.length - 1);
            return keys[next];
        }
    }

    /** An hour of state for every client: nothing expires during the run. */
    void fill(ClientStore filled, IpPrefix[] clients) {
        this.store = filled;
        this.keys = clients;
        for (IpPrefix key : clients) {
            filled.takeMessage(key, 1, false);
        }
    }

    /** Connect (limit 10) and, when admitted, disconnect: the pair every session costs. */
    @Benchmark
    public Admission connectThenDisconnect(Cursor cursor) {
        IpPrefix key = cursor.next(keys);
        Admission admission = store.tryConnect(key, 10);
        if (admission.admitted()) {
            store.disconnect(key);
        }
        return admission;
    }

    /** MAIL FROM: take one message of 200 per hour (once the budget is spent, the refusal is the same decision). */
    @Benchmark
    public Optional<MessageSlot> mailFrom(Cursor cursor) {
        return store.takeMessage(cursor.next(keys), 200, false);
    }

    /** A transaction that ended without a message: its message taken at MAIL FROM and given back (pair). */
    @Benchmark
    public void mailFromThenNoMessage(Cursor cursor) {
        IpPrefix key = cursor.next(keys);
        store.takeMessage(key, 200, true).ifPresent(slot -> store.returnMessage(key, 200, slot));
    }

    /** An unknown recipient, counted (a limit the run never reaches, so this is the counting path). */
    @Benchmark
    public HarvestVerdict unknownRecipient(Cursor cursor) {
        return store.recordUnknownRecipient(cursor.next(keys), 100_000, HOUR, HOUR, true);
    }
}
