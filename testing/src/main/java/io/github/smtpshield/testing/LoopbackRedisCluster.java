package io.github.smtpshield.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throw-away Redis Cluster on loopback: three {@code redis-server --cluster-enabled yes} masters (no replicas, no
 * persistence) on free ports, joined with Redis's own commands ({@code CLUSTER ADDSLOTS}, {@code CLUSTER MEET}: no
 * {@code redis-cli}). {@link #start} returns once every node reports {@code cluster_state:ok}; {@link #stop} and
 * {@link #restart} play an outage of the whole cluster (the nodes keep their identities and slots in their cluster
 * config files, not their data). A node stopped alone takes only its slots away: the others keep serving theirs
 * ({@code cluster-require-full-coverage no}).
 *
 * <pre>{@code
 * try (LoopbackRedisCluster redis = LoopbackRedisCluster.start()) {
 *     // redis.uri() is redis://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>
 * }
 * }</pre>
 */
public final class LoopbackRedisCluster implements LoopbackRedis {
    private static final int NODES = 3;
    private static final int SLOTS = 16_384;
    /** A node also listens on its port + 10000 (the cluster bus). */
    private static final int BUS_OFFSET = 10_000;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final List<LoopbackRedisServer> nodes;

    private LoopbackRedisCluster(Path directory, List<LoopbackRedisServer> nodes) {
        this.directory = directory;
        this.nodes = List.copyOf(nodes);
    }

    /** Three new nodes on free ports, one cluster, {@code cluster_state:ok} on each when this returns. */
    public static LoopbackRedisCluster start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("redis-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<LoopbackRedisServer> nodes = new ArrayList<>();
        try {
            for (int node = 0; node < NODES; node++) {
                int port = FreePorts.take(BUS_OFFSET);
                nodes.add(LoopbackRedisServer.start(
                        port,
                        List.of(
                                "--cluster-enabled",
                                "yes",
                                "--cluster-config-file",
                                directory.resolve("nodes-" + port + ".conf").toString(),
                                "--cluster-node-timeout",
                                "5000",
                                "--cluster-require-full-coverage",
                                "no",
                                "--dir",
                                directory.toString())));
            }
            LoopbackRedisCluster cluster = new LoopbackRedisCluster(directory, nodes);
            cluster.join();
            cluster.awaitOk();
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(LoopbackRedisServer::close);
            deleteTree(directory);
            throw e;
        }
    }

    /** {@code redis://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>}: every node a seed, in Lettuce's syntax. */
    @Override
    public String uri() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(",", "redis://", ""));
    }

    /** The nodes, one per master. */
    public List<LoopbackRedisServer> nodes() {
        return nodes;
    }

    /** The node that serves {@code key}'s hash slot (the others answer MOVED). */
    public LoopbackRedisServer nodeOf(String key) {
        for (LoopbackRedisServer node : nodes) {
            try {
                node.call("EXISTS", key);
                return node;
            } catch (IllegalStateException moved) {
                // another node's slot
            }
        }
        throw new IllegalStateException("no node serves " + key);
    }

    public List<Integer> ports() {
        return nodes.stream().map(LoopbackRedisServer::port).toList();
    }

    @Override
    public boolean cluster() {
        return true;
    }

    @Override
    public void flushAll() {
        nodes.forEach(LoopbackRedisServer::flushAll);
    }

    @Override
    public long keyCount() {
        return nodes.stream().mapToLong(LoopbackRedisServer::keyCount).sum();
    }

    @Override
    public Map<String, Long> keyTtls() {
        Map<String, Long> ttls = new LinkedHashMap<>();
        nodes.forEach(node -> ttls.putAll(node.keyTtls()));
        return ttls;
    }

    @Override
    public boolean isRunning() {
        return nodes.stream().allMatch(LoopbackRedisServer::isRunning);
    }

    @Override
    public void stop() {
        nodes.forEach(LoopbackRedisServer::stop);
    }

    /** Starts the stopped nodes again (same ports, same slots, empty) and waits for {@code cluster_state:ok}. */
    @Override
    public LoopbackRedisCluster restart() {
        for (LoopbackRedisServer node : nodes) {
            if (!node.isRunning()) {
                node.restart();
            }
        }
        awaitOk();
        return this;
    }

    @Override
    public void close() {
        nodes.forEach(LoopbackRedisServer::close);
        deleteTree(directory);
    }

    /**
     * Joins the nodes as {@code redis-cli --cluster create} would, with Redis's own commands: each node takes a third
     * of the slots and a config epoch of its own (so no epoch collision has to be resolved), then the first meets the
     * others; gossip does the rest, which {@link #awaitOk} waits for.
     */
    private void join() {
        for (int i = 0; i < NODES; i++) {
            List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = SLOTS * i / NODES; slot < SLOTS * (i + 1) / NODES; slot++) {
                addSlots.add(String.valueOf(slot));
            }
            LoopbackRedisServer node = nodes.get(i);
            node.call(addSlots.toArray(String[]::new));
            node.call("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
        }
        for (LoopbackRedisServer other : nodes.subList(1, NODES)) {
            nodes.get(0).call("CLUSTER", "MEET", "127.0.0.1", String.valueOf(other.port()));
        }
    }

    /** Polls every node until each knows all nodes and serves all slots. */
    private void awaitOk() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!nodes.stream().allMatch(LoopbackRedisCluster::isOk)) {
            if (System.nanoTime() - deadline > 0) {
                StringBuilder state = new StringBuilder();
                for (LoopbackRedisServer node : nodes) {
                    state.append("\n--- node ")
                            .append(node.port())
                            .append(": ")
                            .append(clusterInfo(node))
                            .append("\n")
                            .append(node.output());
                }
                throw new IllegalStateException(
                        "the Redis Cluster did not reach cluster_state:ok within " + READY_TIMEOUT + state);
            }
            LoopbackRedisServer.pause();
        }
    }

    private static boolean isOk(LoopbackRedisServer node) {
        String info = clusterInfo(node);
        return info.contains("cluster_state:ok")
                && info.contains("cluster_known_nodes:" + NODES)
                && info.contains("cluster_slots_ok:" + SLOTS);
    }

    private static String clusterInfo(LoopbackRedisServer node) {
        try {
            return String.valueOf(node.call("CLUSTER", "INFO"));
        } catch (UncheckedIOException | IllegalStateException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a stray temporary directory is harmless
        }
    }
}
