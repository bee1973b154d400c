package io.github.smtpshield.e2e.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.e2e.ShieldServer;
import io.github.smtpshield.e2e.SmtpClient;
import io.github.smtpshield.e2e.TestPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood beside a legitimate client: thousands of connections from a client over its connection
 * limit and from blocked clients, and a client racing for its slots, while a normal client sends mail from another
 * address. The normal client never fails and stays fast; the limit holds exactly, seen from the server's counters
 * and from the clients.
 */
class FloodIT {
    private static final int LIMIT = 3;
    private static final long FLOOD_MILLIS = Long.getLong("smtpshield.flood.millis", 10_000);
    /** Connections the flood opens per second, from one thread, and how many it may have open at once. */
    private static final int FLOOD_RATE = 1_000;

    private static final int FLOOD_CONNECTIONS = 64;
    private static final int RACERS = 8;
    private static final String NORMAL = "127.0.0.50";
    private static final String OVER_LIMIT = "127.0.0.40";
    private static final String RACING = "127.0.0.42";
    private static final List<String> BLOCKED = List.of("127.0.0.41", "127.0.0.43", "127.0.0.44", "127.0.0.45");
    private static final String RECIPIENT = "flood@localhost";
    private static final String MESSAGE = "Subject: beside the flood\r\n\r\nHello.";

    private static ShieldServer server;

    /**
     * James's memory flavour, unlike the other end-to-end tests: what is timed is the normal client's session beside
     * the shield's refusals, and on the durable flavour most of that session is Derby, KahaDB and Lucene delivering
     * its message (74 ms unloaded on the 2-core machine, about 25 ms on the memory flavour), which a 2-core machine
     * under the flood slows more than the shield does. The durable flavour's delivery is DurabilityIT's and
     * NoMailLostIT's subject.
     */
    @BeforeAll
    static void start() {
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare().environment("SMTP_SHIELD_STORAGE", "memory"))
                .writeConf("smtpshield.xml", TestPolicy.perIp("""
                <maxConcurrentConnections>%d</maxConcurrentConnections>
                <maxUnknownRecipients window="1h" blockFor="1h">10</maxUnknownRecipients>
                """.formatted(LIMIT)))
                .start();
        server.webAdmin().addUser(RECIPIENT, "secret");
        for (String blocked : BLOCKED) {
            assertThat(server.webAdmin()
                            .put("/smtpshield/blocked/" + blocked + "?reason=flood%20test&duration=1h")
                            .statusCode())
                    .isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aNormalClientIsServedWhileTheFloodIsRefusedAndTheLimitHoldsExactly() throws Exception {
        int logOffset = server.jamesLog().length();
        for (int i = 0; i < 5; i++) {
            normalSession(); // warm-up
        }
        List<Long> unloaded = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            unloaded.add(normalSession());
        }

        List<SmtpClient> held = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            held.add(SmtpClient.connect(OVER_LIMIT, server.smtpPort()));
            assertThat(held.get(i).greeting().code()).isEqualTo(220);
        }
        AtomicBoolean going = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(1 + RACERS + 1);
        List<String> wrongAnswers = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger racingOpen = new AtomicInteger();
        AtomicInteger racingMax = new AtomicInteger();
        AtomicLong racingAdmitted = new AtomicLong();
        List<Integer> serverCounts = Collections.synchronizedList(new ArrayList<>());
        List<Integer> overLimitCounts = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> running = new ArrayList<>();
        long floodStarted = System.nanoTime();
        try {
            List<String> floodSources = new ArrayList<>(BLOCKED);
            floodSources.add(OVER_LIMIT);
            ConnectionFlood flood = new ConnectionFlood(
                    server.smtpPort(),
                    floodSources,
                    source -> source.equals(OVER_LIMIT)
                            ? "421 4.7.0 Too many connections from " + source
                            : "421 4.7.1 Connections from " + source + " are blocked, try again later",
                    FLOOD_RATE,
                    FLOOD_CONNECTIONS,
                    going,
                    wrongAnswers);
            running.add(threads.submit(flood));
            for (int r = 0; r < RACERS; r++) {
                running.add(threads.submit(() -> {
                    while (going.get()) {
                        try (SmtpClient racer = SmtpClient.connect(RACING, server.smtpPort())) {
                            if (racer.greeting().code() != 220) {
                                continue;
                            }
                            // Open, in the client's view, from its 220 until it sends QUIT: within the time the
                            // server holds its slot (taken before the 220, given back after the close that follows
                            // QUIT).
                            racingAdmitted.incrementAndGet();
                            racingMax.accumulateAndGet(racingOpen.incrementAndGet(), Math::max);
                            try {
                                racer.send("NOOP");
                            } finally {
                                racingOpen.decrementAndGet();
                            }
                            racer.send("QUIT");
                        }
                    }
                    return null;
                }));
            }
            running.add(threads.submit(() -> {
                while (going.get()) {
                    serverCounts.add(ServerHealth.connections(server, RACING));
                    overLimitCounts.add(ServerHealth.connections(server, OVER_LIMIT));
                }
                return null;
            }));

            List<Long> loaded = new ArrayList<>();
            while (System.nanoTime() - floodStarted < TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS)) {
                loaded.add(normalSession());
            }
            going.set(false);
            for (Future<?> task : running) {
                task.get(60, TimeUnit.SECONDS);
            }
            double floodSeconds = (System.nanoTime() - floodStarted) / 1e9;
            Map<String, AtomicLong> refused = flood.refused();
            long refusals = refused.values().stream().mapToLong(AtomicLong::get).sum();

            long unloadedMedian = median(unloaded);
            long loadedMedian = median(loaded);
            System.out.printf(
                    "FloodIT: %,d refused connections in %.1f s (%,.0f per second) from %s; racing client admitted %,d times,"
                            + " at most %d at once; normal client: %d sessions, median %d ms under the flood, %d ms unloaded, slowest %d ms%n",
                    refusals,
                    floodSeconds,
                    refusals / floodSeconds,
                    refused.keySet(),
                    racingAdmitted.get(),
                    racingMax.get(),
                    loaded.size(),
                    loadedMedian,
                    unloadedMedian,
                    Collections.max(loaded));

            assertThat(wrongAnswers).isEmpty();
            // The flood is paced at FLOOD_RATE; how close a shared 2-core machine comes to it is a figure (printed
            // above, 614-1,000 per second in CI), not a bound. What must hold is that there was a flood: every source
            // was refused, a quarter of the paced rate at the least.
            assertThat(refused.keySet()).as("flood sources refused").hasSize(BLOCKED.size() + 1);
            assertThat(refusals).as("refused connections").isGreaterThanOrEqualTo((long)
                    (FLOOD_RATE * floodSeconds / 4));
            assertThat(racingMax.get())
                    .as("concurrent sessions of the racing client, its view")
                    .isEqualTo(LIMIT);
            assertThat(serverCounts)
                    .as("the server's count of the racing client")
                    .isNotEmpty()
                    .allMatch(count -> count <= LIMIT);
            assertThat(overLimitCounts)
                    .as("the server's count of the client holding its limit")
                    .isNotEmpty()
                    .allMatch(count -> count == LIMIT);
            // Loosely (a 2-core machine runs the flood, its clients and James): the normal client stays within twice
            // its unloaded time, give or take 100 ms of scheduling.
            assertThat(loadedMedian)
                    .as("median session time of the normal client under the flood (ms)")
                    .isLessThanOrEqualTo(2 * unloadedMedian + 100);
        } finally {
            going.set(false);
            threads.shutdownNow();
            held.forEach(SmtpClient::close);
        }

        List<String> clients = new ArrayList<>(BLOCKED);
        clients.addAll(List.of(OVER_LIMIT, RACING, NORMAL));
        ServerHealth.awaitNoOpenConnections(server, clients);
        ServerHealth.assertCleanLog(ServerHealth.entriesSince(server, logOffset));
    }

    /** One whole session of the normal client: must deliver. Returns its time in milliseconds. */
    private static long normalSession() {
        long started = System.nanoTime();
        try (SmtpClient client = SmtpClient.connect(NORMAL, server.smtpPort())) {
            assertThat(client.greeting().code()).isEqualTo(220);
            assertThat(client.send("EHLO normal.test").code()).isEqualTo(250);
            SmtpClient.Reply reply = client.sendMail("sender@example.com", List.of(RECIPIENT), MESSAGE);
            assertThat(reply.code())
                    .as("the normal client's message: %s", reply)
                    .isEqualTo(250);
            assertThat(client.send("QUIT").code()).isEqualTo(221);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
