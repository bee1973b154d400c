package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * No accepted mail is lost: clients send a stream of messages, the server is killed (-9) in the middle of it, and once
 * it is started again every message that got its 250 after DATA reaches the mailbox. A message the crash caught
 * between its delivery and the queue's acknowledgement is delivered twice: those duplicates are counted and printed,
 * they do not fail the test; a loss does.
 */
class NoMailLostIT {
    private static final String USER = "stream@nolost.test";
    private static final String PASSWORD = "n0-mail-lost";
    private static final int SENDERS = 4;
    /** Messages accepted before the kill: enough that some are still in the spool when it comes. */
    private static final int ACCEPTED_BEFORE_KILL = 60;

    @Test
    void everyMessageAcceptedBeforeAKillIsDeliveredAfterTheRestart() throws Exception {
        try (ShieldServer server = ShieldServer.prepare().start()) {
            server.webAdmin().createUser("nolost.test", USER, PASSWORD);
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            AtomicInteger numbers = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            List<Future<?>> streams = new ArrayList<>();
            try {
                for (int i = 0; i < SENDERS; i++) {
                    streams.add(senders.submit(() -> stream(server, numbers, accepted, running)));
                }
                Awaitility.await(ACCEPTED_BEFORE_KILL + " messages accepted")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> accepted.size() >= ACCEPTED_BEFORE_KILL);
                server.kill();
            } finally {
                running.set(false);
                for (Future<?> stream : streams) {
                    stream.get(90, TimeUnit.SECONDS);
                }
                senders.shutdownNow();
            }
            Set<String> acceptedAtTheKill = Set.copyOf(accepted);

            server.start();
            Map<String, Integer> delivered = new HashMap<>();
            try {
                Awaitility.await("every accepted message in the mailbox")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .ignoreExceptions()
                        .until(() -> {
                            delivered.clear();
                            delivered.putAll(deliveredCounts(server));
                            return delivered.keySet().containsAll(acceptedAtTheKill);
                        });
            } finally {
                Set<String> lost = new TreeSet<>(acceptedAtTheKill);
                lost.removeAll(delivered.keySet());
                long duplicates =
                        delivered.values().stream().filter(count -> count > 1).count();
                System.out.printf(
                        "NoMailLostIT: %d accepted before the kill (%d sent), %d distinct delivered, %d delivered"
                                + " twice or more, %d lost%s%n",
                        acceptedAtTheKill.size(),
                        numbers.get(),
                        delivered.size(),
                        duplicates,
                        lost.size(),
                        lost.isEmpty() ? "" : ": " + lost);
                assertThat(lost).as("accepted messages never delivered").isEmpty();
            }
        }
    }

    /** How many times each message (by Subject) is in the INBOX. */
    private static Map<String, Integer> deliveredCounts(ShieldServer server) {
        Map<String, Integer> counts = new HashMap<>();
        try (ImapsClient imap = ImapsClient.login(server.imapsPort(), USER, PASSWORD)) {
            for (String subject : imap.header("Subject")) {
                counts.merge(subject, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** One client: a message per transaction, several per session, until told to stop or the server dies. */
    private static Void stream(
            ShieldServer server, AtomicInteger numbers, Set<String> accepted, AtomicBoolean running) {
        while (running.get()) {
            try (SmtpClient smtp = SmtpClient.connect(server.smtpPort())) {
                smtp.send("EHLO stream.example.net");
                for (int i = 0; i < 5 && running.get(); i++) {
                    String subject = "stream-" + numbers.incrementAndGet();
                    SmtpClient.Reply reply = smtp.sendMail(
                            "sender@example.net",
                            List.of(USER),
                            "From: <sender@example.net>\r\nSubject: " + subject + "\r\n\r\nmessage " + subject
                                    + "\r\n");
                    if (reply.closed()) {
                        break;
                    }
                    if (reply.code() == 250) {
                        accepted.add(subject);
                    }
                }
            } catch (RuntimeException serverGone) {
                // The kill: connections refused or cut until the stream is told to stop.
                if (!running.get()) {
                    break;
                }
            }
        }
        return null;
    }
}
