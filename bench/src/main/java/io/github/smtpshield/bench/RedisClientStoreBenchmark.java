package io.github.smtpshield.bench;

import io.github.smtpshield.policy.net.ClientKey;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.redis.RedisClientStore;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import java.util.SplittableRandom;
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
 * One decision of the Redis store, as the SMTP adapter asks it, on two threads sharing one connection to a
 * redis-server on loopback (started by the benchmark: Debian's {@code redis-server}; or the one of
 * {@code -Dsmtpshield.redisUri=redis://host:port}), over 65,536 clients that all have state. Each decision is one
 * Lua script, one round trip; connect-then-disconnect is two.
 *
 * <pre>java -jar bench/target/benchmarks.jar RedisClientStoreBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s</pre>
 *
 * Throughput mode gives decisions per second (of both threads), SampleTime the median and p99 latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class RedisClientStoreBenchmark {

    static final int CLIENTS = 1 << 16;
    static final Duration HOUR = Duration.ofHours(1);

    final ClientKey[] keys = Clients.mixed(CLIENTS, 42);
    LoopbackRedisServer redis;
    RedisClientStore store;

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
        String uri = System.getProperty("smtpshield.redisUri");
        if (uri == null) {
            redis = LoopbackRedisServer.start();
            uri = redis.uri();
        }
        store = RedisClientStore.builder(uri).timeout(Duration.ofSeconds(5)).build();
        for (ClientKey key : keys) {
            store.recordMessage(key, 1);   // an hour of state for every client: nothing expires during the run
        }
    }

    @TearDown
    public void close() {
        store.close();
        if (redis != null) {
            redis.close();
        }
    }

    /** Connect (limit 10) and, when admitted, disconnect: the pair every session costs (two round trips). */
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
