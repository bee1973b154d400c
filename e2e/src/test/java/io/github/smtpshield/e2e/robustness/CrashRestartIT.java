package io.github.smtpshield.e2e.robustness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.smtpshield.e2e.ShieldServer;
import io.github.smtpshield.e2e.SmtpClient;
import io.github.smtpshield.e2e.TestPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Crash and restart: a kill -9 in the middle of traffic loses no block a client was told about,
 * and the restarted server counts no connection that died with the old one; a truncated or garbage block file is
 * logged and ignored, and the server starts anyway.
 */
class CrashRestartIT {
    private static final String HARVESTED = "127.0.0.60";
    private static final String OPERATOR_BLOCKED = "127.0.0.61";
    private static final List<String> TRAFFIC =
            List.of("127.0.0.62", "127.0.0.63", "127.0.0.64", "127.0.0.65", "127.0.0.66", "127.0.0.67");
    private static final String BYSTANDER = "127.0.0.68";

    @Test
    void blocksSurviveAKillDuringTrafficAndADamagedBlockFileDoesNotStopTheStart() throws Exception {
        try (ShieldServer server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())) {
            server.writeConf("smtpshield.xml", TestPolicy.perIp("""
                    <maxConcurrentConnections>4</maxConcurrentConnections>
                    <maxUnknownRecipients window="1h" blockFor="1h">1</maxUnknownRecipients>
                    """)).start();
            server.webAdmin().addUser("crash@localhost", "secret");
            assertThat(harvest(server, HARVESTED)).isTrue();
            assertThat(server.webAdmin()
                            .put("/smtpshield/blocked/" + OPERATOR_BLOCKED + "?reason=crash%20test")
                            .statusCode())
                    .isEqualTo(201);

            Set<String> toldBlocked = ConcurrentHashMap.newKeySet();
            toldBlocked.add(HARVESTED);
            toldBlocked.add(OPERATOR_BLOCKED);
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sessions = new AtomicInteger();
            ExecutorService traffic = Executors.newFixedThreadPool(TRAFFIC.size() * 2);
            List<Future<?>> clients = new ArrayList<>();
            try {
                for (String source : TRAFFIC) {
                    // Per address: one client that delivers, one that holds sessions open, then harvests at its end.
                    clients.add(traffic.submit(() -> deliverUntilStopped(server, source, running, sessions)));
                    clients.add(traffic.submit(() -> {
                        while (running.get() && server.isRunning()) {
                            holdSession(server, source, sessions);
                        }
                        return null;
                    }));
                }
                Awaitility.await("traffic on every client")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> sessions.get() >= 60);
                // One block started during the traffic, that its client was told about just before the crash.
                assertThat(harvest(server, TRAFFIC.get(0))).isTrue();
                toldBlocked.add(TRAFFIC.get(0));

                server.kill();
            } finally {
                running.set(false);
                for (Future<?> client : clients) {
                    client.get(60, TimeUnit.SECONDS);
                }
                traffic.shutdownNow();
            }

            server.start();
            assertThat(blockedIps(server)).containsAll(toldBlocked);
            for (String source : toldBlocked) {
                assertRefusedAsBlocked(server, source);
            }
            for (String source : TRAFFIC.subList(1, TRAFFIC.size())) {
                assertThat(ServerHealth.counters(server, source)
                                .get("connections")
                                .asInt())
                        .as("connections of %s after the crash", source)
                        .isZero();
            }
            assertGreeted(server, BYSTANDER);
            Path blockFile = server.home().resolve("var/smtpshield/blocks.tsv");
            assertThat(blockFile).exists();
            String intact = Files.readString(blockFile, UTF_8);

            // Truncated in the middle of a line, as a full disk or a copy cut short would leave it.
            server.stop();
            Files.writeString(blockFile, intact.substring(0, intact.length() / 2), UTF_8);
            int logOffset = server.jamesLog().length();
            server.start();
            assertThat(server.jamesLog().substring(logOffset))
                    .containsPattern("WARN.*Ignoring block file .*blocks\\.tsv");
            assertStartsSane(server, toldBlocked);

            // Garbage: random bytes, not even UTF-8.
            server.stop();
            byte[] garbage = new byte[64 * 1024];
            new SplittableRandom(8).nextBytes(garbage);
            Files.write(blockFile, garbage);
            logOffset = server.jamesLog().length();
            server.start();
            assertThat(server.jamesLog().substring(logOffset))
                    .containsPattern("WARN.*Ignoring block file .*blocks\\.tsv");
            assertStartsSane(server, toldBlocked);
            ServerHealth.assertCleanLog(ServerHealth.entries(server.jamesLog()));
        }
    }

    /** With the file ignored: no block, no connection counted, every client greeted, and blocking works again. */
    private static void assertStartsSane(ShieldServer server, Set<String> formerlyBlocked) throws IOException {
        assertThat(blockedIps(server)).isEmpty();
        for (String source : formerlyBlocked) {
            assertThat(ServerHealth.connections(server, source)).isZero();
            assertGreeted(server, source);
        }
        assertThat(harvest(server, BYSTANDER)).isTrue();
        assertRefusedAsBlocked(server, BYSTANDER);
        assertThat(server.webAdmin().delete("/smtpshield/blocked/" + BYSTANDER).statusCode())
                .isEqualTo(204);
    }

    /** Two unknown recipients under a limit of 1: true if the client was told it is blocked now. */
    /** A harvest from {@code source}; true if it got the client blocked. Its session may wait for a slot of the client's. */
    private static boolean harvest(ShieldServer server, String source) {
        try (SmtpClient client =
                SmtpClient.connectOnceAdmitted("a session to harvest from " + source, source, server.smtpPort())) {
            client.send("EHLO harvester.test");
            client.send("MAIL FROM:<spam@harvester.test>");
            client.send("RCPT TO:<nobody1@localhost>");
            return client.send("RCPT TO:<nobody2@localhost>").line().startsWith("421 4.7.1");
        }
    }

    private static Void deliverUntilStopped(
            ShieldServer server, String source, AtomicBoolean running, AtomicInteger sessions) {
        while (running.get() && server.isRunning()) {
            try (SmtpClient client = SmtpClient.connect(source, server.smtpPort())) {
                if (client.greeting().code() == 220) {
                    client.send("EHLO client.test");
                    client.sendMail("sender@example.com", List.of("crash@localhost"), "Subject: traffic\r\n\r\nHello.");
                    client.send("QUIT");
                    sessions.incrementAndGet();
                }
            } catch (RuntimeException e) {
                // the server was killed under this client: expected
            }
        }
        return null;
    }

    /** A session left open in the middle of a transaction (the kill finds some of these open). */
    private static void holdSession(ShieldServer server, String source, AtomicInteger sessions) {
        try (SmtpClient client = SmtpClient.connect(source, server.smtpPort())) {
            if (client.greeting().code() == 220) {
                client.send("EHLO client.test");
                client.send("MAIL FROM:<sender@example.com>");
                sessions.incrementAndGet();
                client.isClosedByServer(); // until the kill, or for 30 s
            }
        } catch (RuntimeException e) {
            // the server was killed under this client: expected
        }
    }

    private static List<String> blockedIps(ShieldServer server) {
        JsonNode blocks =
                ServerHealth.json(server.webAdmin().get("/smtpshield/blocked").body());
        List<String> ips = new ArrayList<>();
        blocks.forEach(block -> ips.add(block.get("ip").asText()));
        return ips;
    }

    private static void assertRefusedAsBlocked(ShieldServer server, String source) {
        try (SmtpClient client = SmtpClient.connect(source, server.smtpPort())) {
            assertThat(client.greeting().line())
                    .isEqualTo("421 4.7.1 Connections from " + source + " are blocked, try again later");
        }
    }

    private static void assertGreeted(ShieldServer server, String source) {
        try (SmtpClient client = SmtpClient.connect(source, server.smtpPort())) {
            assertThat(client.greeting().code()).as("greeting of %s", source).isEqualTo(220);
        }
    }
}
