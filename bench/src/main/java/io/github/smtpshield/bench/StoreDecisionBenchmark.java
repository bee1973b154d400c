package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.HarvestVerdict;
import java.time.Duration;
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
            filled.recordMessage(key, 1);
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

    /** MAIL FROM: is one more message within 200 per hour? */
    @Benchmark
    public boolean mailFrom(Cursor cursor) {
        return store.messageBudgetAvailable(cursor.next(keys), 200);
    }

    /** A message was accepted: count it against 200 per hour. */
    @Benchmark
    public void messageAccepted(Cursor cursor) {
        store.recordMessage(cursor.next(keys), 200);
    }

    /** An unknown recipient, counted (a limit the run never reaches, so this is the counting path). */
    @Benchmark
    public HarvestVerdict unknownRecipient(Cursor cursor) {
        return store.recordUnknownRecipient(cursor.next(keys), 100_000, HOUR, HOUR, true);
    }
}
