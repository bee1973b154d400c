package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.testing.LoopbackDnsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client cannot freeze port 25 through DNS. Beside an unrelated client, two attacks run at once: 4 connections from
 * one address repeat {@code MAIL FROM:<a@r<random>.slow.test>} (a zone whose servers never answer), and 80 addresses
 * whose reverse zone never answers connect and send MAIL FROM. The unrelated client's connect, EHLO, MAIL and QUIT
 * stays within twice its unloaded time (+100 ms), it is never refused, and the attackers' own DNS trouble is
 * remembered: after the first timeout they are answered {@code 450} at once.
 */
class DnsStallIT {
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);
    private static final String CLIENT = "127.0.0.2";
    private static final String SLOW_SENDER = "127.0.0.3";
    private static final int SLOW_SENDER_CONNECTIONS = 4;
    /** 127.0.1.1 ... 127.0.1.80: their reverse zone, 1.0.127.in-addr.arpa, never answers. */
    private static final int NO_REVERSE_CLIENTS = 80;

    private static final int SESSIONS = 15;
    /**
     * Each slow-sender connection sends at most one MAIL FROM per period, each address without reverse DNS opens at
     * most one session per period: once the shield answers them at once, unpaced loops would measure a CPU flood of
     * 84 threads on a 2-core machine, not DNS (here 40 + 80 attacks per second).
     */
    private static final Duration SLOW_SENDER_PERIOD = Duration.ofMillis(100);

    private static final Duration NO_REVERSE_PERIOD = Duration.ofSeconds(1);

    private static LoopbackDnsServer dns;
    private static ShieldServer server;

    @BeforeAll
    static void start() {
        dns = new LoopbackDnsServer()
                .mx("client.test", 10, "mail.client.test")
                .a("mail.client.test", "127.0.0.1")
                .ptr(CLIENT, "mail.client.test")
                .ptr(SLOW_SENDER, "slow-sender.client.test")
                .silentZone("slow.test")
                .silentZone("1.0.127.in-addr.arpa");
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", """
                <smtpshield>
                  <exempt>
                    <networks>127.0.0.1/32</networks>
                  </exempt>
                  <dns timeout="%dms">
                    <servers>127.0.0.1:%d</servers>
                    <rejectUnknownSenderDomain>true</rejectUnknownSenderDomain>
                    <rejectClientWithoutPtr>true</rejectClientWithoutPtr>
                  </dns>
                </smtpshield>
                """.formatted(DNS_TIMEOUT.toMillis(), dns.port()))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aClientsDnsTroubleIsItsOwn() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            session(); // warm-up: the client's PTR and its domain are in the server's cache, the code paths compiled
        }
        List<Long> unloaded = sessions();

        AtomicBoolean attacking = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> attackReplies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> laterSlowSenderReplies = new ConcurrentLinkedQueue<>();
        ExecutorService attackers = Executors.newFixedThreadPool(SLOW_SENDER_CONNECTIONS + NO_REVERSE_CLIENTS);
        List<Long> loaded;
        try {
            for (int i = 0; i < SLOW_SENDER_CONNECTIONS; i++) {
                attackers.execute(() -> slowSender(attacking, attackReplies, laterSlowSenderReplies));
            }
            for (int i = 1; i <= NO_REVERSE_CLIENTS; i++) {
                String address = "127.0.1." + i;
                attackers.execute(() -> noReverseClient(address, attacking, attackReplies));
            }
            // The attack under way: every attacker has connected and is waiting on (or has been told of) its DNS
            Awaitility.await("the attack under way")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> dns.queryCountUnder("1.0.127.in-addr.arpa") >= NO_REVERSE_CLIENTS / 2
                            && dns.queryCountUnder("slow.test") >= 1);
            loaded = sessions();
            // Long enough for the slow sender's first lookups to time out: then it is answered at once
            Awaitility.await("the slow sender answered at once")
                    .atMost(DNS_TIMEOUT.multipliedBy(5))
                    .until(() -> laterSlowSenderReplies.size() >= 10);
        } finally {
            attacking.set(false);
            attackers.shutdown();
            assertThat(attackers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        long unloadedMedian = median(unloaded);
        long loadedMedian = median(loaded);
        System.out.printf(
                "DnsStallIT: unrelated client's connect+EHLO+MAIL+QUIT: median %d ms unloaded, %d ms under attack"
                        + " (slowest %d ms); attackers' replies: %d, %d slow.test queries%n",
                unloadedMedian,
                loadedMedian,
                loaded.stream().mapToLong(Long::longValue).max().orElseThrow(),
                attackReplies.size(),
                dns.queryCountUnder("slow.test"));
        assertThat(loadedMedian)
                .as("median session of the unrelated client under the attack (ms), unloaded %d ms", unloadedMedian)
                .isLessThanOrEqualTo(2 * unloadedMedian + 100);
        assertThat(loaded)
                .as("no session of the unrelated client waited on an attacker's DNS")
                .allMatch(millis -> millis < DNS_TIMEOUT.toMillis() / 2);
        assertThat(attackReplies)
                .as("the attackers are refused, temporarily")
                .isNotEmpty()
                .allMatch(reply -> reply.startsWith("450 4.1.8 ") || reply.startsWith("450 4.7.25 "));
        assertThat(laterSlowSenderReplies)
                .as("once its lookups timed out, the slow sender is answered at once (ms)")
                .allMatch(millis -> millis < DNS_TIMEOUT.toMillis() / 2);
    }

    private static List<Long> sessions() {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            times.add(session());
        }
        return times;
    }

    /** The unrelated client's connect, EHLO, MAIL FROM and QUIT, in milliseconds; every reply is a success. */
    private static long session() {
        long start = System.nanoTime();
        try (SmtpClient smtp = SmtpClient.connect(CLIENT, server.smtpPort())) {
            assertThat(smtp.greeting().code()).isEqualTo(220);
            assertThat(smtp.send("EHLO mail.client.test").code()).isEqualTo(250);
            assertThat(smtp.send("MAIL FROM:<bob@client.test>").line()).startsWith("250 ");
            assertThat(smtp.send("QUIT").code()).isEqualTo(221);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** MAIL FROM a new name of the silent zone again and again; reconnects when the server closes. */
    private static void slowSender(
            AtomicBoolean attacking, ConcurrentLinkedQueue<String> replies, ConcurrentLinkedQueue<Long> laterReplies) {
        long attackStart = System.nanoTime();
        while (attacking.get()) {
            try (SmtpClient smtp = SmtpClient.connect(SLOW_SENDER, server.smtpPort())) {
                smtp.send("EHLO slow-sender.client.test");
                while (attacking.get()) {
                    long start = System.nanoTime();
                    SmtpClient.Reply reply = smtp.send(
                            "MAIL FROM:<a@r" + ThreadLocalRandom.current().nextLong(1L << 40) + ".slow.test>");
                    if (reply.closed()) {
                        break;
                    }
                    replies.add(reply.line());
                    if (System.nanoTime() - attackStart
                            > DNS_TIMEOUT.multipliedBy(2).toNanos()) {
                        laterReplies.add(
                                Duration.ofNanos(System.nanoTime() - start).toMillis());
                    }
                    smtp.send("RSET");
                    pace(start, SLOW_SENDER_PERIOD);
                }
            }
        }
    }

    /** Connects from an address whose reverse zone never answers and sends MAIL FROM; again and again. */
    private static void noReverseClient(
            String address, AtomicBoolean attacking, ConcurrentLinkedQueue<String> replies) {
        while (attacking.get()) {
            long start = System.nanoTime();
            try (SmtpClient smtp = SmtpClient.connect(address, server.smtpPort())) {
                smtp.send("EHLO no-reverse.client.test");
                SmtpClient.Reply reply = smtp.send("MAIL FROM:<a@client.test>");
                if (!reply.closed()) {
                    replies.add(reply.line());
                }
                smtp.send("QUIT");
            }
            pace(start, NO_REVERSE_PERIOD);
        }
    }

    /** Waits out the rest of the attacker's period that began at {@code start}. */
    private static void pace(long start, Duration period) {
        long rest = period.toNanos() - (System.nanoTime() - start);
        if (rest > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(rest);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
