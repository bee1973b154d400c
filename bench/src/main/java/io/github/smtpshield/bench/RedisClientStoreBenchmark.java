package io.github.smtpshield.bench;

import io.github.smtpshield.policy.store.redis.RedisClientStore;
import io.github.smtpshield.testing.LoopbackRedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * redis-server on loopback (started by the benchmark, the one the tests would run: see {@code LoopbackRedisServer};
 * or the one of {@code -Dsmtpshield.redisUri=redis://host:port}), over 65,536 clients that all have state. Each
 * decision is one Lua script, one round trip; connect-then-disconnect is two.
 *
 * <pre>java -jar bench/target/benchmarks.jar RedisClientStoreBenchmark -f 1 -wi 2 -i 3 -w 2s -r 3s</pre>
 *
 * Throughput mode gives decisions per second (of both threads), SampleTime the median and p99 latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
public class RedisClientStoreBenchmark extends StoreDecisionBenchmark {

    static final int CLIENTS = 1 << 16;

    LoopbackRedisServer redis;

    @Setup
    public void fill() {
        String uri = System.getProperty("smtpshield.redisUri");
        if (uri == null) {
            redis = LoopbackRedisServer.start();
            uri = redis.uri();
        }
        fill(RedisClientStore.builder(uri).timeout(Duration.ofSeconds(5)).build(), Clients.keys(CLIENTS));
    }

    @TearDown
    public void close() {
        store.close();
        if (redis != null) {
            redis.close();
        }
    }
}
