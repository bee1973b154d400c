package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hourly message budget under parallel sessions (rule 2 of the README): a limit of N allows N. The budget is taken
 * at MAIL FROM, so sessions racing for the last message cannot all get it, and given back when the transaction ends
 * without an accepted message. Each test has its own client address and its own mailbox.
 */
class MessageBudgetRaceIT {
    private static final int BUDGET = 3;
    private static final String REFUSED = "450 4.7.1 Too much mail from %s, try again later";
    static ShieldServer server;

    @BeforeAll
    static void start() {
        server = startServer(TestPolicy.MEMORY_STORE);
    }

    /** The server of these tests, on the given {@code <store>} (a subclass runs them on Redis). */
    static ShieldServer startServer(String store) {
        ShieldServer started = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf(
                        "smtpshield.xml",
                        TestPolicy.with(
                                "<maxMessagesPerHour>" + BUDGET + "</maxMessagesPerHour>",
                                "<maxMessageSize>8K</maxMessageSize>",
                                store))
                .start();
        started.webAdmin().createUser("example.test", "race@example.test", "secret");
        started.webAdmin().createUser("example.test", "ends@example.test", "secret");
        return started;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tenSessionsRaceForTheLastMessageAndExactlyOneGetsIt() throws Exception {
        String client = "127.0.0.20";
        try (SmtpClient first = SmtpClient.connect(client, server.smtpPort())) {
            first.send("EHLO racer.test");
            for (int i = 0; i < BUDGET - 1; i++) {
                assertThat(first.sendMail("bob@racer.test", List.of("race@example.test"), message(i))
                                .code())
                        .isEqualTo(250);
            }
        }
        List<SmtpClient> racers = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(10);
        try {
            for (int i = 0; i < 10; i++) {
                SmtpClient racer = SmtpClient.connect(client, server.smtpPort());
                racers.add(racer);
                assertThat(racer.send("EHLO racer.test").code()).isEqualTo(250);
            }
            CyclicBarrier go = new CyclicBarrier(racers.size());
            List<Future<SmtpClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                SmtpClient racer = racers.get(i);
                String text = message(100 + i);
                replies.add(threads.submit(() -> {
                    go.await();
                    return racer.sendMail("bob@racer.test", List.of("race@example.test"), text);
                }));
            }
            List<SmtpClient.Reply> answers = new ArrayList<>();
            for (Future<SmtpClient.Reply> reply : replies) {
                answers.add(reply.get(60, TimeUnit.SECONDS));
            }

            assertThat(answers.stream().filter(reply -> reply.code() == 250))
                    .as("messages accepted of %s", answers)
                    .hasSize(1);
            assertThat(answers.stream().filter(reply -> reply.code() != 250))
                    .allSatisfy(reply -> assertThat(reply.line()).isEqualTo(REFUSED.formatted(client)));
        } finally {
            racers.forEach(SmtpClient::close);
            threads.shutdownNow();
        }
        Inbox inbox = Inbox.of(server, "race@example.test", "secret");
        inbox.awaitSize(BUDGET);
        try (SmtpClient late = SmtpClient.connect(client, server.smtpPort())) {
            late.send("EHLO racer.test");
            assertThat(late.send("MAIL FROM:<bob@racer.test>").line()).isEqualTo(REFUSED.formatted(client));
        }
        assertThat(inbox.size()).as("a limit of %d allows %d", BUDGET, BUDGET).isEqualTo(BUDGET);
    }

    @Test
    void aTransactionThatEndsWithoutAnAcceptedMessageGivesItsMessageBack() {
        String client = "127.0.0.21";
        List<SmtpClient> open = new ArrayList<>();
        try {
            SmtpClient a = mailFrom(client, open);
            SmtpClient b = mailFrom(client, open);
            SmtpClient c = mailFrom(client, open);
            assertThat(refusedMailFrom(client, open))
                    .as("three transactions hold the budget")
                    .isTrue();

            assertThat(a.send("RSET").code()).isEqualTo(250);
            SmtpClient d = mailFrom(client, open);
            assertThat(a.send("MAIL FROM:<bob@ends.test>").line()).isEqualTo(REFUSED.formatted(client));

            b.abort();
            SmtpClient e = Awaitility.await("the dropped session's message back")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> tryMailFrom(client, open), session -> session != null);

            assertThat(c.send("RCPT TO:<ends@example.test>").code()).isEqualTo(250);
            assertThat(c.data("Subject: too big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(150))
                            .code())
                    .as("refused at the end of DATA")
                    .isEqualTo(552);
            assertThat(a.send("MAIL FROM:<bob@ends.test>").code()).isEqualTo(250);

            assertThat(e.send("EHLO again.test").code()).isEqualTo(250);
            SmtpClient f = mailFrom(client, open);

            assertThat(d.send("RCPT TO:<ends@example.test>").code()).isEqualTo(250);
            assertThat(d.data(message(1)).code()).isEqualTo(250);
            assertThat(d.send("MAIL FROM:<bob@ends.test>").line())
                    .as("the accepted message keeps its slot")
                    .isEqualTo(REFUSED.formatted(client));

            assertThat(a.send("QUIT").code()).isEqualTo(221);
            assertThat(f.send("QUIT").code()).isEqualTo(221);
            Awaitility.await("the two quitting sessions' messages back")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> server.webAdmin()
                            .get("/smtpshield/counters/" + client)
                            .body()
                            .contains("\"messagesLeft\":2"));
            assertThat(sendOne(client)).isEqualTo(250);
            assertThat(sendOne(client)).isEqualTo(250);
            assertThat(sendOne(client)).as("one accepted by d, two since").isEqualTo(450);
        } finally {
            open.forEach(SmtpClient::close);
        }
        Inbox.of(server, "ends@example.test", "secret").awaitSize(BUDGET);
    }

    private static String message(int n) {
        return "Subject: budget " + n + "\r\n\r\nHello.";
    }

    /** A new session of the client whose MAIL FROM is accepted: it holds one message of the budget. */
    private static SmtpClient mailFrom(String client, List<SmtpClient> open) {
        SmtpClient session = tryMailFrom(client, open);
        assertThat(session).as("MAIL FROM accepted").isNotNull();
        return session;
    }

    /** A new session of the client and its MAIL FROM: the session if accepted (kept open), else null (closed). */
    private static SmtpClient tryMailFrom(String client, List<SmtpClient> open) {
        SmtpClient session = SmtpClient.connect(client, server.smtpPort());
        open.add(session);
        session.send("EHLO ends.test");
        if (session.send("MAIL FROM:<bob@ends.test>").code() == 250) {
            return session;
        }
        session.close();
        return null;
    }

    private static boolean refusedMailFrom(String client, List<SmtpClient> open) {
        return tryMailFrom(client, open) == null;
    }

    /** One whole message in a session of its own: the reply that ended it. */
    private static int sendOne(String client) {
        try (SmtpClient session = SmtpClient.connect(client, server.smtpPort())) {
            session.send("EHLO ends.test");
            return session.sendMail("bob@ends.test", List.of("ends@example.test"), message(2))
                    .code();
        }
    }
}
