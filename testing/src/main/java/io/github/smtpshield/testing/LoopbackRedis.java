package io.github.smtpshield.testing;

import java.util.Map;

/**
 * A throw-away Redis on loopback for the tests of the Redis store: one {@link LoopbackRedisServer} or a three-node
 * {@link LoopbackRedisCluster}, so that one test runs on either.
 */
public interface LoopbackRedis extends AutoCloseable {

    /** The URI a store connects to: {@code redis://127.0.0.1:<port>}, or a cluster's seeds. */
    String uri();

    /** Whether this is a Redis Cluster (the store then needs {@code cluster(true)}). */
    boolean cluster();

    /** Empties every database of every node. */
    void flushAll();

    /** Keys of every node. */
    long keyCount();

    /** Every key of every node with its remaining time to live in milliseconds (-1: none). */
    Map<String, Long> keyTtls();

    boolean isRunning();

    /** Stops every process: clients now find the ports closed. */
    void stop();

    /** Starts the stopped processes again on their ports, empty, and waits until they serve. */
    LoopbackRedis restart();

    /** Stops every process and deletes what it wrote. */
    @Override
    void close();
}
