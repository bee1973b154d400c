package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bans ({@code <bans>}) on the packaged server: password guessing over 587 and 25 across sessions, distributed
 * guessing against one account while the exempt network still logs in, a repeat offender, escalating block lengths, a
 * network block with an exempt address inside it; listed and lifted through WebAdmin. Small limits, so each test takes
 * seconds. Each test has its own /24 of 127.0.0.0/8 (a network block would otherwise spill into the others). Node
 * {@link #a} and node {@link #b} are one server here; {@link RedisBansIT} runs the same tests on two nodes sharing one
 * Redis.
 */
class BansIT {
    static final String BANS = """
            <authFailures window="1h" blockFor="1h">3</authFailures>
            <accountAuthFailures window="1h" lockFor="1h">4</accountAuthFailures>
            <repeatedRefusals window="1h" blockFor="1h">2</repeatedRefusals>
            <escalation factor="2" max="4h" memory="1d"/>
            <networks ipv4Prefix="24" ipv6Prefix="48" blockFor="1h">2</networks>
            """;
    private static final String BLOCKED = "421 4.7.1 Connections from %s are blocked, try again later";
    private static final String GUESSING = "421 4.7.1 Too many failed authentications from %s, closing connection";
    private static final String LOCKED = "454 4.7.0 Temporary authentication failure";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ShieldServer a;
    static ShieldServer b;

    @BeforeAll
    static void start() {
        a = startNode(TestPolicy.MEMORY_STORE);
        b = a;
    }

    /** A node of these tests on the given {@code <store>}, with its users. */
    static ShieldServer startNode(String store) {
        String policy = TestPolicy.withBans(
                TestPolicy.exempting(
                        TestPolicy.with("<maxMessagesPerHour>1</maxMessagesPerHour>", "", store),
                        "127.0.0.1/32, ::1/128, 127.0.6.200/32"),
                BANS);
        ShieldServer node = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", policy)
                .start();
        node.webAdmin().createUser("example.test", "alice@example.test", "secret");
        node.webAdmin().addUser("carol@example.test", "secret");
        return node;
    }

    @AfterAll
    static void stop() {
        for (ShieldServer node : new ShieldServer[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
    }

    /** A session on 587 from {@code ip}, over TLS, ready for AUTH. */
    private static SmtpClient submission(String ip, ShieldServer node) {
        SmtpClient smtp = SmtpClient.connect(ip, node.submissionPort());
        assertThat(smtp.greeting().code()).as("greeting of %s on 587", ip).isEqualTo(220);
        return overTls(smtp);
    }

    /** A session on 25 from {@code ip}, over TLS, ready for AUTH (which port 25 announces to clients it does not trust). */
    private static SmtpClient mx(String ip, ShieldServer node) {
        SmtpClient smtp = SmtpClient.connect(ip, node.smtpPort());
        assertThat(smtp.greeting().code()).as("greeting of %s on 25", ip).isEqualTo(220);
        return overTls(smtp);
    }

    private static SmtpClient overTls(SmtpClient smtp) {
        smtp.send("EHLO guesser.test");
        assertThat(smtp.startTls().code()).isEqualTo(220);
        smtp.send("EHLO guesser.test");
        return smtp;
    }

    private static JsonNode blockOf(ShieldServer node, String ip) throws IOException {
        JsonNode blocks =
                JSON.readTree(node.webAdmin().get("/smtpshield/blocked").body());
        for (JsonNode block : blocks) {
            if (block.get("ip").asText().equals(ip)) {
                return block;
            }
        }
        throw new AssertionError(ip + " is not listed in " + blocks);
    }

    @Test
    void guessingOver587And25AcrossSessionsIsBlockedOnEveryListener() throws Exception {
        String ip = "127.0.1.5";
        try (SmtpClient first = submission(ip, a)) {
            assertThat(first.authPlain("dave@example.test", "guess1").code()).isEqualTo(535);
            assertThat(first.authPlain("dave@example.test", "guess2").code()).isEqualTo(535);
        }
        try (SmtpClient second = mx(ip, b)) {
            assertThat(second.authPlain("dave@example.test", "guess3").code())
                    .as("the third of three, on port 25")
                    .isEqualTo(535);
        }
        try (SmtpClient third = submission(ip, a)) {
            SmtpClient.Reply over = third.authPlain("dave@example.test", "guess4");
            assertThat(over.line()).as("the fourth").isEqualTo(GUESSING.formatted(ip));
            assertThat(third.isClosedByServer()).isTrue();
        }

        for (ShieldServer node : List.of(a, b)) {
            try (SmtpClient mx = SmtpClient.connect(ip, node.smtpPort())) {
                assertThat(mx.greeting().line()).isEqualTo(BLOCKED.formatted(ip));
                assertThat(mx.isClosedByServer()).isTrue();
            }
            try (SmtpClient submission = SmtpClient.connect(ip, node.submissionPort())) {
                assertThat(submission.greeting().line()).isEqualTo(BLOCKED.formatted(ip));
                assertThat(submission.isClosedByServer()).isTrue();
            }
            try (SmtpClient smtps = SmtpClient.connectTls(ip, node.smtpsPort())) {
                assertThat(smtps.greeting().line()).isEqualTo(BLOCKED.formatted(ip));
            }
        }
        assertThat(blockOf(b, ip).get("reason").asText()).isEqualTo("AUTH");
        Awaitility.await("the block in the security log")
                .atMost(Duration.ofSeconds(10))
                .until(() -> a.securityLog().contains("Block of " + ip + " started until"));
        assertThat(a.securityLog())
                .contains(
                        "SMTP connection from " + ip + " rejected: password guessing (limit 3 per 1h), blocked for 1h");
        try (SmtpClient office = submission("127.0.0.1", a)) {
            assertThat(office.authPlain("alice@example.test", "secret").code())
                    .as("the user herself, from elsewhere")
                    .isEqualTo(235);
        }
    }

    @Test
    void distributedGuessingLocksTheAccountButTheExemptNetworkStillLogsIn() throws Exception {
        List<SmtpClient.Reply> replies = new ArrayList<>();
        for (int host = 1; host <= 6; host++) {
            try (SmtpClient guesser = submission("127.0.3." + host, host % 2 == 0 ? a : b)) {
                replies.add(guesser.authPlain("Carol@Example.test", "guess" + host));
            }
        }
        assertThat(replies)
                .as("a limit of 4 failures per account, from six addresses")
                .extracting(SmtpClient.Reply::code)
                .containsExactly(535, 535, 535, 535, 454, 454);
        assertThat(replies.get(4).line()).isEqualTo(LOCKED);

        try (SmtpClient other = submission("127.0.3.9", a)) {
            assertThat(other.authPlain("carol@example.test", "secret").line())
                    .as("the right password too")
                    .isEqualTo(LOCKED);
        }
        try (SmtpClient office = submission("127.0.0.1", b)) {
            assertThat(office.authPlain("carol@example.test", "secret").code())
                    .as("an exempt client still authenticates")
                    .isEqualTo(235);
        }
        JsonNode locks = JSON.readTree(a.webAdmin().get("/smtpshield/locked").body());
        assertThat(locks).extracting(lock -> lock.get("account").asText()).containsExactly("carol@example.test");

        assertThat(b.webAdmin().delete("/smtpshield/locked/carol@example.test").statusCode())
                .isEqualTo(204);
        assertThat(a.webAdmin().delete("/smtpshield/locked/carol@example.test").statusCode())
                .as("lifted on every node at once")
                .isEqualTo(404);
        try (SmtpClient other = submission("127.0.3.9", a)) {
            assertThat(other.authPlain("carol@example.test", "secret").code()).isEqualTo(235);
        }
    }

    @Test
    void aRepeatOffenderIsBlocked() throws Exception {
        String ip = "127.0.4.5";
        try (SmtpClient sender = SmtpClient.connect(ip, a.smtpPort())) {
            sender.send("EHLO repeat.test");
            assertThat(sender.sendMail("bob@repeat.test", List.of("alice@example.test"), "Subject: one\r\n\r\nHi.")
                            .code())
                    .isEqualTo(250);
            String refused = "450 4.7.1 Too much mail from " + ip + ", try again later";
            assertThat(sender.send("MAIL FROM:<bob@repeat.test>").line()).isEqualTo(refused);
            assertThat(sender.send("MAIL FROM:<bob@repeat.test>").line()).isEqualTo(refused);
            assertThat(sender.send("MAIL FROM:<bob@repeat.test>").line())
                    .isEqualTo("421 4.7.1 Too many refused commands from " + ip + ", try again later");
            assertThat(sender.isClosedByServer()).isTrue();
        }
        try (SmtpClient again = SmtpClient.connect(ip, b.smtpPort())) {
            assertThat(again.greeting().line()).isEqualTo(BLOCKED.formatted(ip));
        }
        assertThat(blockOf(a, ip).get("reason").asText()).isEqualTo("REPEATED");
    }

    @Test
    void aKeyBlockedAgainIsBlockedTwiceAsLongUpToTheCap() throws Exception {
        String ip = "127.0.5.5";
        List<String> lengths = new ArrayList<>();
        List<Integer> offences = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            ShieldServer node = round % 2 == 0 ? a : b;
            try (SmtpClient guesser = submission(ip, node)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(guesser.authPlain("eve" + round + "@example.test", "wrong")
                                    .code())
                            .isEqualTo(535);
                }
                assertThat(guesser.authPlain("eve" + round + "@example.test", "wrong")
                                .line())
                        .isEqualTo(GUESSING.formatted(ip));
            }
            JsonNode block = blockOf(node, ip);
            lengths.add(block.get("length").asText());
            offences.add(block.get("offences").asInt());
            assertThat(node.webAdmin().delete("/smtpshield/blocked/" + ip).statusCode())
                    .isEqualTo(204);
        }
        assertThat(lengths).containsExactly("1h", "2h", "4h", "4h");
        assertThat(offences).containsExactly(1, 2, 3, 4);
    }

    @Test
    void enoughBlockedClientsBlockTheirNetworkButNotTheExemptAddressInsideIt() throws Exception {
        for (String ip : List.of("127.0.6.1", "127.0.6.2")) {
            try (SmtpClient guesser = submission(ip, ip.endsWith("1") ? a : b)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(guesser.authPlain(
                                            "net" + ip.substring(ip.lastIndexOf('.') + 1) + "@example.test", "wrong")
                                    .code())
                            .isEqualTo(535);
                }
                assertThat(guesser.authPlain("net" + ip.substring(ip.lastIndexOf('.') + 1) + "@example.test", "wrong")
                                .line())
                        .isEqualTo(GUESSING.formatted(ip));
            }
        }

        for (ShieldServer node : List.of(a, b)) {
            try (SmtpClient neighbour = SmtpClient.connect("127.0.6.77", node.smtpPort())) {
                assertThat(neighbour.greeting().line()).isEqualTo(BLOCKED.formatted("127.0.6.77"));
            }
            try (SmtpClient neighbour = SmtpClient.connect("127.0.6.78", node.submissionPort())) {
                assertThat(neighbour.greeting().line()).isEqualTo(BLOCKED.formatted("127.0.6.78"));
            }
            try (SmtpClient exempt = SmtpClient.connect("127.0.6.200", node.smtpPort())) {
                assertThat(exempt.greeting().code())
                        .as("exempt inside the network")
                        .isEqualTo(220);
            }
        }
        JsonNode network = blockOf(a, "127.0.6.0/24");
        assertThat(network.get("reason").asText()).isEqualTo("NETWORK");
        assertThat(network.get("length").asText()).isEqualTo("1h");

        assertThat(b.webAdmin().delete("/smtpshield/blocked/127.0.6.0/24").statusCode())
                .isEqualTo(204);
        try (SmtpClient neighbour = SmtpClient.connect("127.0.6.77", a.smtpPort())) {
            assertThat(neighbour.greeting().code()).as("lifted like any block").isEqualTo(220);
        }
    }
}
