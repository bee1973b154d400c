package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.testing.LoopbackRedisServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Cluster mode: two packaged servers (two James processes, nodes A and B) share one redis-server. The per-IP
 * limits hold for the cluster, blocks are cluster-wide, a node killed with open connections stops counting
 * within its lease, and a Redis outage is met per {@code onFailure}: A fails open, B fails closed. The node kill
 * comes last; each test uses its own client addresses.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {
    private static final String MESSAGE = "Subject: cluster test\r\n\r\nHello.";
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static LoopbackRedisServer redis;
    private static ShieldServer a;
    private static ShieldServer b;

    @BeforeAll
    static void start() {
        redis = LoopbackRedisServer.start();
        CompletableFuture<ShieldServer> nodeA = CompletableFuture.supplyAsync(() -> node("open"));
        CompletableFuture<ShieldServer> nodeB = CompletableFuture.supplyAsync(() -> node("closed"));
        a = nodeA.join();
        b = nodeB.join();
    }

    private static ShieldServer node(String onFailure) {
        ShieldServer node = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf(
                        "smtpshield.xml",
                        TestPolicy.perIp("""
                <maxMessagesPerHour>2</maxMessagesPerHour>
                <maxConcurrentConnections>3</maxConcurrentConnections>
                <maxUnknownRecipients window="1h" blockFor="1h">3</maxUnknownRecipients>
                """, TestPolicy.redisStore(redis.uri(), onFailure, LEASE.toSeconds() + "s")))
                .start();
        node.webAdmin().createUser("example.test", "alice@example.test", "secret");
        return node;
    }

    @AfterAll
    static void stop() {
        for (ShieldServer node : new ShieldServer[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static SmtpClient connect(String ip, ShieldServer node) {
        return SmtpClient.connect(ip, node.smtpPort());
    }

    @Test
    @Order(1)
    void theConnectionLimitHoldsAcrossBothNodes() {
        List<SmtpClient> open = new ArrayList<>();
        try {
            open.add(connect("127.0.0.20", a));
            open.add(connect("127.0.0.20", b));
            open.add(connect("127.0.0.20", a));
            open.forEach(client -> assertThat(client.greeting().code()).isEqualTo(220));

            try (SmtpClient fourthOnA = connect("127.0.0.20", a);
                    SmtpClient fourthOnB = connect("127.0.0.20", b)) {
                assertThat(fourthOnA.greeting().line()).isEqualTo("421 4.7.0 Too many connections from 127.0.0.20");
                assertThat(fourthOnB.greeting().line()).isEqualTo("421 4.7.0 Too many connections from 127.0.0.20");
            }
            try (SmtpClient other = connect("127.0.0.21", b)) {
                assertThat(other.greeting().code()).isEqualTo(220);
            }

            open.remove(1).close(); // B's connection quits: its slot is free for the cluster
            open.add(SmtpClient.connectOnceAdmitted("B's slot to come back", "127.0.0.20", a.smtpPort()));
        } finally {
            open.forEach(SmtpClient::close);
        }
    }

    @Test
    @Order(2)
    void theHourlyBudgetHoldsAcrossBothNodes() {
        try (SmtpClient onA = connect("127.0.0.22", a)) {
            onA.send("EHLO sender.test");
            assertThat(onA.sendMail("bob@sender.test", List.of("alice@example.test"), MESSAGE)
                            .code())
                    .isEqualTo(250);
        }
        try (SmtpClient onB = connect("127.0.0.22", b)) {
            onB.send("EHLO sender.test");
            assertThat(onB.sendMail("bob@sender.test", List.of("alice@example.test"), MESSAGE)
                            .code())
                    .isEqualTo(250);
            assertThat(onB.send("MAIL FROM:<bob@sender.test>").line())
                    .isEqualTo("450 4.7.1 Too much mail from 127.0.0.22, try again later");
        }
        try (SmtpClient onA = connect("127.0.0.22", a)) {
            onA.send("EHLO sender.test");
            assertThat(onA.send("MAIL FROM:<bob@sender.test>").line())
                    .isEqualTo("450 4.7.1 Too much mail from 127.0.0.22, try again later");
        }
    }

    private static void harvest(String ip, ShieldServer node) {
        try (SmtpClient client = connect(ip, node)) {
            client.send("EHLO harvester.test");
            client.send("MAIL FROM:<spam@harvester.test>");
            for (String name : List.of("aaron", "abel", "adam")) {
                assertThat(client.send("RCPT TO:<" + name + "@example.test>").line())
                        .startsWith("550 5.1.1");
            }
            assertThat(client.send("RCPT TO:<agnes@example.test>").line())
                    .isEqualTo("421 4.7.1 Too many unknown recipients from " + ip + ": directory harvest attack");
        }
    }

    @Test
    @Order(3)
    void aHarvestBlockMadeThroughAIsEnforcedOnB() {
        harvest("127.0.0.23", a);

        try (SmtpClient onB = connect("127.0.0.23", b)) {
            assertThat(onB.greeting().line())
                    .isEqualTo("421 4.7.1 Connections from 127.0.0.23 are blocked, try again later");
            assertThat(onB.isClosedByServer()).isTrue();
        }
        try (SmtpClient other = connect("127.0.0.24", b)) {
            assertThat(other.greeting().code()).isEqualTo(220);
        }
        assertThat(a.securityLog()).contains("Block of 127.0.0.23 started until");
    }

    @Test
    @Order(4)
    void anOperatorsLiftThroughBLiftsTheBlockOnA() {
        harvest("127.0.0.25", a);

        HttpResponse<String> lift = b.webAdmin().delete("/smtpshield/blocked/127.0.0.25");
        assertThat(lift.statusCode()).as(lift.body()).isEqualTo(204);
        try (SmtpClient onA = connect("127.0.0.25", a)) {
            assertThat(onA.greeting().code()).isEqualTo(220);
        }
    }

    @Test
    @Order(5)
    void whileRedisIsDownAFailsOpenAndBFailsClosedAndBothRecoverWhenItReturns() {
        redis.stop();
        try {
            try (SmtpClient onA = connect("127.0.0.26", a)) {
                assertThat(onA.greeting().code())
                        .as("open: served as if no limit applied")
                        .isEqualTo(220);
                onA.send("EHLO sender.test");
                assertThat(onA.sendMail("bob@sender.test", List.of("alice@example.test"), MESSAGE)
                                .code())
                        .isEqualTo(250);
            }
            try (SmtpClient onB = connect("127.0.0.26", b)) {
                assertThat(onB.greeting().line())
                        .isEqualTo("451 4.3.0 Service temporarily unavailable for 127.0.0.26, try again later");
                assertThat(onB.isClosedByServer()).isTrue();
            }
            assertThat(a.jamesLog()).containsOnlyOnce("the per-IP store is unavailable");
            assertThat(b.securityLog()).contains("SMTP connection from 127.0.0.26 rejected: per-IP store unavailable");
            HttpResponse<String> blocks = a.webAdmin().get("/smtpshield/blocked");
            assertThat(blocks.statusCode()).as("WebAdmin while Redis is down").isEqualTo(503);
            assertThat(blocks.body()).contains("\"type\":\"ServerError\"").doesNotContain("Exception");
        } finally {
            redis.restart();
        }

        Awaitility.await("B to use Redis again")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    try (SmtpClient onB = connect("127.0.0.27", b)) {
                        return onB.greeting().code() == 220;
                    }
                });
        List<SmtpClient> open = new ArrayList<>();
        try {
            Awaitility.await("A to count connections in Redis again")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        SmtpClient client = connect("127.0.0.28", a);
                        open.add(client);
                        return client.greeting().code() == 421;
                    });
            assertThat(open).hasSizeGreaterThanOrEqualTo(4);
            assertThat(open.get(open.size() - 1).greeting().line())
                    .isEqualTo("421 4.7.0 Too many connections from 127.0.0.28");
        } finally {
            open.forEach(SmtpClient::close);
        }
    }

    @Test
    @Order(6)
    void theConnectionsOfANodeKilledWithKillMinus9StopCountingWithinTheLease() {
        List<SmtpClient> onB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            onB.add(connect("127.0.0.29", b));
            assertThat(onB.get(i).greeting().code()).isEqualTo(220);
        }
        try (SmtpClient fourth = connect("127.0.0.29", a)) {
            assertThat(fourth.greeting().line())
                    .as("B's connections count on A")
                    .isEqualTo("421 4.7.0 Too many connections from 127.0.0.29");
        }

        b.kill();
        long killed = System.nanoTime();
        onB.forEach(SmtpClient::abort);

        Awaitility.await("B's leases to end")
                .atMost(LEASE.multipliedBy(3))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try (SmtpClient client = connect("127.0.0.29", a)) {
                        return client.greeting().code() == 220;
                    }
                });
        Duration drained = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println(
                "Connections of the killed node drained after " + drained.toMillis() + " ms (lease " + LEASE + ")");
        assertThat(drained).isLessThan(LEASE.plusSeconds(5));
    }
}
