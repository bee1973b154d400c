package io.github.smtpshield.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that a test starts as processes of their own, which bind them a moment later. A port is drawn
 * below Linux's ephemeral range (32768-60999), so no outgoing connection takes it meanwhile; it is free when drawn;
 * and one JVM never hands it out twice, so two servers prepared side by side cannot pick each other's ports.
 */
public final class FreePorts {
    private static final int LOWEST = 20_000;
    private static final int ABOVE_HIGHEST = 32_000;
    /** Guarded by the class's lock (see {@link #reserve}). */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {}

    /** A free port that this JVM has not handed out before. */
    public static int take() {
        return take(0);
    }

    /** A port p as {@link #take()} whose companion p + {@code offset} is free too (a Redis Cluster node's bus port). */
    public static int take(int offset) {
        for (int attempt = 0; attempt < 500; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(LOWEST, ABOVE_HIGHEST - offset);
            if (bindable(candidate) && (offset == 0 || bindable(candidate + offset)) && reserve(candidate, offset)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No free port" + (offset == 0 ? "" : " p with p + " + offset + " free")
                + " between " + LOWEST + " and " + ABOVE_HIGHEST);
    }

    private static synchronized boolean reserve(int port, int offset) {
        if (HANDED_OUT.contains(port) || HANDED_OUT.contains(port + offset)) {
            return false;
        }
        HANDED_OUT.add(port);
        HANDED_OUT.add(port + offset);
        return true;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
