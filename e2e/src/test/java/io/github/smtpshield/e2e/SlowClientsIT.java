package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Slow and idle clients: James's {@code connectiontimeout} is an idle timer, so a client that sends one byte now and
 * then keeps its connection for ever, before any command or inside DATA. {@code <session><maxDuration>} (3 s here)
 * ends every session at that age with {@code 421 4.4.2}; the message of a DATA under way is not delivered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowClientsIT {
    private static final Duration MAX_DURATION = Duration.ofSeconds(3);
    private static final String EXPIRED = "421 4.4.2 Session time limit exceeded, closing connection";
    private static final String USER = "slow@example.test";
    /** Port 25's connection cap here: the shipped one (1000) works the same, only slower to fill. */
    private static final int CONNECTION_LIMIT = 30;

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .editConf(
                        "smtpserver.xml",
                        xml -> xml.replaceFirst(
                                "<connectionLimit>\\d+</connectionLimit>",
                                "<connectionLimit>" + CONNECTION_LIMIT + "</connectionLimit>"))
                .writeConf(
                        "smtpshield.xml",
                        TestPolicy.with("", "<maxDuration>" + MAX_DURATION.toSeconds() + "s</maxDuration>"))
                .start();
        server.webAdmin().createUser("example.test", USER, "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anIdleClientIsClosedAtTheSessionsMaximumAge() {
        long started = System.nanoTime();
        try (SmtpClient idle = SmtpClient.connect("127.0.0.2", server.smtpPort())) {
            assertThat(idle.greeting().code()).isEqualTo(220);
            assertThat(idle.readReply().line()).isEqualTo(EXPIRED);
            assertThat(idle.isClosedByServer()).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(MAX_DURATION, MAX_DURATION.multipliedBy(3));
        assertThat(server.securityLog())
                .contains("SMTP connection from 127.0.0.2 rejected: session time limit exceeded (limit 3s)");
    }

    /** One byte at a time resets James's idle timer, not the session's age. */
    @Test
    void aClientTricklingBytesBeforeAnyCommandIsClosedAtTheSessionsMaximumAge() {
        try (SmtpClient trickler = SmtpClient.connect("127.0.0.3", server.smtpPort())) {
            assertThat(trickler.greeting().code()).isEqualTo(220);
            try (Trickle trickle = new Trickle(trickler, "NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP NOOP")) {
                assertThat(trickler.readReply().line()).isEqualTo(EXPIRED);
            }
            assertThat(trickler.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aMessageStillInDataWhenTheSessionExpiresIsNotDelivered() {
        try (SmtpClient trickler = SmtpClient.connect("127.0.0.4", server.smtpPort())) {
            trickler.send("EHLO trickler.test");
            assertThat(trickler.send("MAIL FROM:<someone@trickler.test>").code())
                    .isEqualTo(250);
            assertThat(trickler.send("RCPT TO:<" + USER + ">").code()).isEqualTo(250);
            assertThat(trickler.send("DATA").code()).isEqualTo(354);
            trickler.write("Subject: slow\r\n\r\n");
            try (Trickle trickle = new Trickle(trickler, "x".repeat(200))) {
                assertThat(trickler.readReply().line()).isEqualTo(EXPIRED);
            }
            assertThat(trickler.isClosedByServer()).isTrue();
        }
        assertThat(server.securityLog())
                .contains("SMTP connection from 127.0.0.4 rejected: session time limit exceeded (limit 3s)");
        assertThat(Inbox.of(server, USER, "secret").size()).isZero();
    }

    /**
     * The shipped conf caps every listener's connections, so that a flood from many addresses (each under its per-IP
     * limit) cannot take the whole server: on port 25 the connection over the cap is closed without a greeting. First,
     * while no other test's connection is open.
     */
    @Order(1)
    @Test
    void everyShippedListenerCapsItsConnectionsAndTheOneOverTheCapIsNotGreeted() throws IOException {
        List<Integer> limits = new ArrayList<>();
        Matcher limit = Pattern.compile("<connectionLimit>(\\d+)</connectionLimit>")
                .matcher(Files.readString(ShieldServer.distribution().resolve("conf/smtpserver.xml")));
        while (limit.find()) {
            limits.add(Integer.parseInt(limit.group(1)));
        }
        assertThat(limits).as("every listener's <connectionLimit>").hasSize(3).allMatch(value -> value > 0);

        List<SmtpClient> flood = new ArrayList<>();
        try {
            // From 10 addresses, as a botnet would (no per-IP limit here), well within the sessions' 3 s.
            for (int i = 0; i < CONNECTION_LIMIT; i++) {
                SmtpClient client = SmtpClient.connect("127.0.1." + (1 + i % 10), server.smtpPort());
                flood.add(client);
                assertThat(client.greeting().code()).as("connection %d", i + 1).isEqualTo(220);
            }
            try (SmtpClient over = SmtpClient.connect("127.0.2.1", server.smtpPort())) {
                assertThat(over.greeting().closed())
                        .as("the connection over the cap")
                        .isTrue();
            }
        } finally {
            flood.forEach(SmtpClient::close);
        }
    }

    /** Writes one byte of {@code text} every 200 ms (the attack's pace), until closed or the server hangs up. */
    private static final class Trickle implements AutoCloseable {
        private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        private final ScheduledFuture<?> writes;

        Trickle(SmtpClient client, String text) {
            AtomicInteger next = new AtomicInteger();
            writes = writer.scheduleAtFixedRate(
                    () -> {
                        int at = next.getAndIncrement();
                        if (at < text.length()) {
                            // A write that fails (the server hung up) ends the schedule.
                            client.write(String.valueOf(text.charAt(at)));
                        }
                    },
                    0,
                    200,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            writes.cancel(true);
            writer.shutdownNow();
        }
    }
}
