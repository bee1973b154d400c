package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.MemoryClientStore;
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
 * <pre>java -jar bench/target/benchmarks.jar '\.ClientStoreBenchmark\.' -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class ClientStoreBenchmark extends StoreDecisionBenchmark {

    static final int CLIENTS = 1 << 20;

    /** Experimental control: the same keys in a bare ConcurrentHashMap, one compute per operation. */
    final ConcurrentHashMap<IpPrefix, long[]> baseline = new ConcurrentHashMap<>();

    @Setup
    public void fill() {
        fill(MemoryClientStore.builder().build(), Clients.keys(CLIENTS));
        for (IpPrefix key : keys) {
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
}
