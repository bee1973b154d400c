package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.ClientKey;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * One decision of the memory store, as the SMTP adapter asks it, on two threads over a million clients that
 * all have state (the store is at its default cap): the latency distribution of each decision.
 *
 * <pre>java -jar bench/target/benchmarks.jar ClientStoreBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class ClientStoreBenchmark {

    static final int CLIENTS = 1 << 20;
    static final Duration HOUR = Duration.ofHours(1);

    final ClientKey[] keys = Clients.mixed(CLIENTS, 42);
    MemoryClientStore store;
    /** Experimental control: the same keys in a bare ConcurrentHashMap, one compute per operation. */
    final ConcurrentHashMap<ClientKey, long[]> baseline = new ConcurrentHashMap<>();

    /** Each thread walks the clients from its own random start. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = new SplittableRandom().nextInt(CLIENTS);

        ClientKey next(ClientKey[] keys) {
            next = (next + 1) & (CLIENTS - 1);
            return keys[next];
        }
    }

    @Setup
    public void fill() {
        store = MemoryClientStore.builder().build();
        for (ClientKey key : keys) {
            store.recordMessage(key, 1);   // an hour of state for every client: nothing expires during the run
            baseline.put(key, new long[1]);
        }
    }

    @TearDown
    public void close() {
        store.close();
    }

    /** The floor: what one atomic per-key step costs in a plain map on this machine. */
    @Benchmark
    public long[] baselineHashMapCompute(Cursor cursor) {
        return baseline.computeIfPresent(cursor.next(keys), (key, value) -> {
            value[0]++;
            return value;
        });
    }

    /** Connect (limit 10) and, when admitted, disconnect: the pair every session costs. */
    @Benchmark
    public Admission connectThenDisconnect(Cursor cursor) {
        ClientKey key = cursor.next(keys);
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
