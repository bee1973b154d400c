package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.WarningThrottle;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import io.github.smtpshield.policy.store.redis.Topology.Link;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one connection to Redis (see {@link Topology}), and what keeps a caller from waiting on it: a caller
 * may be James's Netty I/O thread (its hooks are synchronous), so it waits at most the timeout, and only once.
 *
 * <p><b>Decisions</b> ({@link #decide}) run one script on the caller's thread. Without a connection they fail at once
 * and a connect starts in the background (one at a time, at most once a second); only the store's first connect, at
 * start, runs on the starting thread. Lettuce itself reconnects a connection it lost (backoff up to 2 s).
 *
 * <p><b>The slow-Redis breaker</b>: a decision that times out marks Redis slow; while it is slow every decision fails
 * at once, and a probe asks Redis every second until it answers within the timeout. On a Redis Cluster the probe asks
 * the node of the key that stalled; meanwhile decisions fail for the clients of every node (one flag: kept simple, and
 * a stalled master is an incident for the whole cluster). When the probe is answered, {@code inTimeAgain} runs.
 *
 * <p><b>Sent decisions</b> ({@link #send}) need no answer: they go on the connection and the caller does not wait.
 *
 * <p><b>Batches</b> ({@link #start}, {@link #awaitAll}) are many runs in flight at once, bounded by the timeout, for
 * the background jobs (leases, listing a cluster's blocks); they do not trip the breaker.
 *
 * <p><b>Failures</b> are {@link StoreUnavailableException}s naming Redis by its redacted URI, with the client's
 * message scrubbed of the URI's credentials. Log lines: one WARN a minute at most when Redis turns slow, one INFO when
 * it answers in time again.
 */
final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClientStore.class);
    private static final Duration RECONNECT_AT_MOST_EVERY = Duration.ofSeconds(1);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final Topology topology;
    private final Duration timeout;
    private final ScheduledExecutorService background;
    private final Runnable inTimeAgain;
    /** The scripts {@link #send} runs: loaded at every connect. */
    private final List<Script<?>> sent;

    private final ReentrantLock connecting = new ReentrantLock();
    private final AtomicBoolean connectPending = new AtomicBoolean();
    /** A decision timed out and no probe has been answered in time since: decisions fail at once. */
    private final AtomicBoolean slow = new AtomicBoolean();

    private final WarningThrottle slowWarnings = WarningThrottle.perMinute();
    private volatile Link connection;
    private volatile long nextConnectAttempt = System.nanoTime();
    private volatile boolean closed;
    /** A key of the decision that stalled: the probe asks its node. */
    private volatile String probeKey = Keys.PROBE;

    RedisLink(
            Topology topology,
            Duration timeout,
            ScheduledExecutorService background,
            Runnable inTimeAgain,
            List<Script<?>> sent) {
        this.topology = topology;
        this.sent = List.copyOf(sent);
        this.timeout = timeout;
        this.background = background;
        this.inTimeAgain = inTimeAgain;
    }

    /** Connects now, on this thread (the store's at start, or the background's). */
    void connectNow() {
        connecting.lock();
        try {
            if (connection == null && !closed) {
                try {
                    Link made = topology.connect();
                    if (closed) {
                        made.connection().close();
                    } else {
                        load(made);
                        connection = made;
                    }
                } catch (RedisException e) {
                    nextConnectAttempt = System.nanoTime() + RECONNECT_AT_MOST_EVERY.toNanos();
                    throw new StoreUnavailableException(
                            "cannot connect to Redis at " + describe() + ": " + reason(e), e);
                }
            }
            connection();
        } finally {
            connecting.unlock();
        }
    }

    /**
     * The sent scripts put in Redis's cache: one Redis did not know would be answered NOSCRIPT and sent again (EVAL)
     * behind the commands sent meanwhile, out of line. Best effort: after a Redis restart (its cache empty) until
     * each has run once, or where SCRIPT LOAD is not allowed, a sent decision may run behind the next one.
     */
    private void load(Link made) {
        for (Script<?> script : sent) {
            try {
                script.load(made.sync());
            } catch (RedisException e) {
                LOG.debug("SMTP Shield: could not load script {} in Redis: {}", script, reason(e));
            }
        }
    }

    /** One decision: {@code script} on {@code keys} (the first names the hash slot, hence the node), on this thread. */
    <T> T decide(Script<T> script, String[] keys, String... args) {
        if (slow.get()) {
            throw new StoreUnavailableException(
                    "Redis at " + describe() + " was slower than " + timeout
                            + "; deciding without it until it answers in time again",
                    null);
        }
        try {
            return script.run(connection().sync(), keys, args);
        } catch (RedisCommandTimeoutException e) {
            markSlow(keys[0], e);
            throw unavailable(script, e);
        } catch (RedisException e) {
            throw unavailable(script, e);
        }
    }

    /**
     * A decision whose answer nobody waits for (a count given back): sent on the connection and not awaited, so the
     * caller's thread goes on at once. Redis runs it before every decision sent after it on this connection, and a
     * client's keys share one node (hence one connection on a cluster too), so that client's next decision sees it.
     * {@code undelivered} runs, on Lettuce's thread, if it may not have reached Redis (no connection, Redis marked
     * slow, an error or a timeout). The script must be one of those given at construction.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the stage reports a failure; nothing waits for the answer
    void send(Script<?> script, String[] keys, Runnable undelivered, String... args) {
        if (slow.get()) {
            undelivered.run();
            return;
        }
        try {
            start(script, keys, args).whenComplete((answer, failure) -> {
                if (failure != null) {
                    undelivered.run();
                }
            });
        } catch (RedisException | StoreUnavailableException e) {
            undelivered.run();
        }
    }

    /** One run of a batch, in flight on the connection; await it with {@link #awaitAll}. */
    <T> CompletionStage<T> start(Script<T> script, String[] keys, String... args) {
        return script.runAsync(connection().async(), keys, args);
    }

    /** The answers of runs in flight, in order; each is bounded by the timeout (Lettuce's, and this guard's). */
    <T> List<T> awaitAll(Script<T> script, List<CompletionStage<T>> runs) {
        long deadline = System.nanoTime() + 2 * timeout.toNanos();
        List<T> answers = new ArrayList<>(runs.size());
        for (CompletionStage<T> run : runs) {
            try {
                answers.add(
                        run.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisException redis) {
                    throw unavailable(script, redis);
                }
                throw new IllegalStateException("Redis script " + script + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw new StoreUnavailableException(
                        "Redis at " + describe() + " did not decide (" + script + ") within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreUnavailableException("interrupted while Redis decided (" + script + ")", e);
            }
        }
        return answers;
    }

    /** Whether a connection was ever made (and not closed): something to release at close. */
    boolean connected() {
        return connection != null;
    }

    /** The hash slot of {@code key} (see {@link Topology#slot}). */
    int slot(String key) {
        return topology.slot(key);
    }

    /** Redis by its URI, without credentials. */
    String describe() {
        return topology.describe();
    }

    /** A failure's message and its root cause's, without the URI's credentials. */
    String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return topology.scrub(
                root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")");
    }

    /** Closes the connection and the client; a background connect still running drops what it makes. */
    @Override
    public void close() {
        closed = true;
        connecting.lock();
        try {
            Link open = connection;
            connection = null; // a decision after close fails as closed, not on a shut-down event loop
            if (open != null) {
                open.connection().close();
            }
        } finally {
            connecting.unlock();
        }
        topology.shutdown();
    }

    private StoreUnavailableException unavailable(Script<?> script, RedisException e) {
        return new StoreUnavailableException(
                "Redis at " + describe() + " did not decide (" + script + "): " + reason(e), e);
    }

    /**
     * The connection. Without one, a connect is started in the background (at most one at a time, once a second)
     * and the caller fails at once: it may be James's I/O thread, which must not wait for a connect timeout.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // a background connect reports through the link's state
    private Link connection() {
        Link open = connection;
        if (open != null) {
            return open;
        }
        if (closed) {
            throw new StoreUnavailableException("the Redis store is closed", null);
        }
        if (connectPending.compareAndSet(false, true)) {
            long delay = Math.max(0, nextConnectAttempt - System.nanoTime());
            try {
                background.schedule(this::connectInTheBackground, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                connectPending.set(false);
                throw new StoreUnavailableException("the Redis store is closed", e);
            }
        }
        throw new StoreUnavailableException(
                "not connected to Redis at " + describe() + " (connecting in the background)", null);
    }

    private void connectInTheBackground() {
        try {
            connectNow();
        } catch (StoreUnavailableException e) {
            LOG.debug("SMTP Shield: {}", e.getMessage());
        } finally {
            connectPending.set(false);
        }
    }

    private void markSlow(String key, RedisCommandTimeoutException e) {
        if (slow.compareAndSet(false, true)) {
            probeKey = key;
            if (slowWarnings.record() > 0) {
                LOG.warn(
                        "SMTP Shield: Redis at {} did not answer within {} ({}); decisions go without it until it answers"
                                + " in time again",
                        describe(),
                        timeout,
                        reason(e));
            }
            scheduleProbe();
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // a probe reports through the link's state, not its future
    private void scheduleProbe() {
        try {
            background.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: nothing to probe for
        }
    }

    /** Clears the slow mark when Redis answers a trivial script within the timeout; otherwise asks again later. */
    private void probe() {
        try {
            connection()
                    .async()
                    .eval("return 1", ScriptOutputType.INTEGER, probeKey)
                    .toCompletableFuture()
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            slow.set(false);
            LOG.info("SMTP Shield: Redis at {} answers in time again", describe());
            inTimeAgain.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            scheduleProbe();
        }
    }
}
