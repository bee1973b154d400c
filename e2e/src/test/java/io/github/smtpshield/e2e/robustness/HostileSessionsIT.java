package io.github.smtpshield.e2e.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.e2e.ShieldServer;
import io.github.smtpshield.e2e.TestPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated hostile SMTP sessions against the packaged server: at least 10,000 per run over
 * eight client addresses and eight threads, plus a few clients that send one byte per second. After the run the
 * server must have answered nothing through an exception, logged no ERROR of its own and no unexpected stack
 * trace, counted every connection back to 0, and hold no more heap or threads than before.
 *
 * <p>Reproducible: the run's seed is printed, and every failure names its session's seed.
 * <pre>
 * -Dsmtpshield.fuzz.seed=N       the run's seed (random by default)
 * -Dsmtpshield.fuzz.sessions=N   how many sessions (default 10,000)
 * -Dsmtpshield.fuzz.session=S    replay the one session of seed S (and nothing else)
 * </pre>
 */
class HostileSessionsIT {
    private static final long RUN_SEED =
            Long.getLong("smtpshield.fuzz.seed", ThreadLocalRandom.current().nextLong());
    private static final int SESSIONS = Integer.getInteger("smtpshield.fuzz.sessions", 10_000);
    private static final Long ONE_SESSION = Long.getLong("smtpshield.fuzz.session");
    private static final int THREADS = 8;
    private static final int WARM_UP_SESSIONS = 3_000;
    private static final List<String> SOURCES =
            IntStream.rangeClosed(10, 17).mapToObj(i -> "127.0.0." + i).toList();
    private static final String SLOW_SOURCE = "127.0.0.18";
    /** The sessions kept as regression tests: an address of their own (the run's clients spend their hourly budget). */
    private static final String REGRESSION_SOURCE = "127.0.0.19";

    private static final int SLOW_CLIENTS = 3;
    /**
     * Heap after a full GC may grow by this much over the run. The warm-up is long because Netty's pooled buffers and
     * recyclers fill up with the first thousands of sessions (large lines and bursts). The growth does not follow the
     * number of sessions: about 12 MiB over 10,000 sessions in some runs, 5.6 MiB over 30,000 in another (mostly byte[]
     * and Netty's pooled slices), so it is the pools settling, not a leak. A leak of 3.3 KiB or more per session
     * would pass the margin within the 10,000 sessions.
     */
    private static final long HEAP_MARGIN_KIB = 32 * 1024;
    /** Threads may differ by this much (James's elastic schedulers come and go). */
    private static final int THREAD_MARGIN = 6;

    private static final Pattern REPLY_LINE = Pattern.compile("^[2-5]\\d\\d[ -].*", Pattern.DOTALL);

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", TestPolicy.with("""
                <maxMessagesPerHour>50</maxMessagesPerHour>
                <maxConcurrentConnections>20</maxConcurrentConnections>
                <maxUnknownRecipients window="1h" blockFor="1h">1000000</maxUnknownRecipients>
                """, """
                <maxFailedCommands>10</maxFailedCommands>
                <maxRecipientsPerMessage>5</maxRecipientsPerMessage>
                <maxMessageSize>64K</maxMessageSize>
                """))
                // AUTH in clear on port 25, so that generated AUTH exchanges reach James's AUTH code and not only the
                // shield's 538 (AuthRequiresTls, which RelayIT tests).
                .editConf(
                        "smtpserver.xml",
                        xml -> xml.replaceFirst("<requireSSL>true</requireSSL>", "<requireSSL>false</requireSSL>"))
                .start();
        server.webAdmin().addUser(HostileSession.KNOWN_USER, "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerSurvivesHostileSessionsUnharmed() throws Exception {
        System.out.printf("HostileSessionsIT: run seed %d (replay: -Dsmtpshield.fuzz.seed=%d)%n", RUN_SEED, RUN_SEED);
        ExecutorService players = Executors.newFixedThreadPool(THREADS + SLOW_CLIENTS);
        ExecutorService readers = Executors.newFixedThreadPool(THREADS);
        try {
            HostileClient client = new HostileClient(server.smtpPort(), readers);
            if (ONE_SESSION != null) {
                Stats stats = new Stats();
                HostileClient.Outcome outcome = client.play(HostileSession.generate(ONE_SESSION), SOURCES.get(0));
                System.out.printf(
                        "HostileSessionsIT: %s%nreplies in %d ms (closed by the server: %b):%n%s%n",
                        outcome.session().describe(), outcome.millis(), outcome.closedByServer(), outcome.replies());
                check(outcome, stats);
                assertThat(stats.failures).as("session %d", ONE_SESSION).isEmpty();
                return;
            }
            Stats warmUp = run(client, players, new SplittableRandom(~RUN_SEED), WARM_UP_SESSIONS);
            assertThat(warmUp.failures)
                    .as("failed warm-up sessions of run seed %d", RUN_SEED)
                    .isEmpty();
            settle();
            long heapBefore = ServerHealth.heapAfterFullGcKib(server);
            String histogramBefore = server.jcmd("GC.class_histogram");
            int threadsBefore = ServerHealth.threads(server);
            int logOffset = server.jamesLog().length();

            List<Future<String>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                slow.add(players.submit(HostileSessionsIT::slowClient));
            }
            long started = System.nanoTime();
            Stats stats = run(client, players, new SplittableRandom(RUN_SEED), SESSIONS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            for (Future<String> reply : slow) {
                assertThat(reply.get(2, TimeUnit.MINUTES))
                        .as("EHLO sent one byte per second")
                        .startsWith("250");
            }

            System.out.printf(
                    "HostileSessionsIT: %,d sessions (%,d bytes, %,d ended by the server's 421, %,d STARTTLS sessions answered 451) in %d s%n",
                    stats.sessions.get(),
                    stats.bytes.get(),
                    stats.closedBy421.get(),
                    stats.startTls451.get(),
                    took.toSeconds());
            HostileClient.Outcome slowest = stats.slowest.get();
            System.out.printf(
                    "HostileSessionsIT: the slowest session took %d ms: %s%n",
                    slowest.millis(), slowest.session().describe());
            assertThat(stats.failures)
                    .as("failed sessions of run seed %d", RUN_SEED)
                    .isEmpty();
            assertThat(stats.sessions.get()).isEqualTo(SESSIONS);

            List<String> clients = new ArrayList<>(SOURCES);
            clients.add(SLOW_SOURCE);
            ServerHealth.awaitNoOpenConnections(server, clients);
            ServerHealth.assertCleanLog(ServerHealth.entriesSince(server, logOffset));
            System.out.printf(
                    "HostileSessionsIT: james.log grew by %,d characters%n",
                    server.jamesLog().length() - logOffset);

            settle();
            long heapAfter = ServerHealth.heapAfterFullGcKib(server);
            System.out.printf(
                    "HostileSessionsIT: heap after full GC %,d KiB before, %,d KiB after; threads %d before%n",
                    heapBefore, heapAfter, threadsBefore);
            assertThat(heapAfter)
                    .as(
                            "heap after full GC (KiB), before: %d; classes that grew most:%n%s",
                            heapBefore,
                            ServerHealth.histogramGrowth(histogramBefore, server.jcmd("GC.class_histogram"), 15))
                    .isLessThanOrEqualTo(heapBefore + HEAP_MARGIN_KIB);
            Awaitility.await("no more threads than before the run (" + threadsBefore + ")")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> ServerHealth.threads(server) <= threadsBefore + THREAD_MARGIN);
        } finally {
            players.shutdownNow();
            readers.shutdownNow();
        }
    }

    /** Sessions the generator found defects with, kept as they were sent (a seed would change with the generator). */
    @Test
    void theSessionsThatFoundDefectsPass() throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            HostileClient client = new HostileClient(server.smtpPort(), readers);
            // Seed -4907388807835337521: a user name that is not base64 after AUTH LOGIN was answered 451 (an
            // exception).
            HostileClient.Outcome login = client.play(
                    scripted("EHLO client.test\r\nAUTH LOGIN\r\n", "RCPT TO:<fuzz@localhost>\r\n"), REGRESSION_SOURCE);
            // Seed 4423755323509590827: after AUTH PLAIN every line was taken for credentials (501), QUIT included.
            HostileClient.Outcome plain = client.play(
                    scripted("EHLO client.test\r\nAUTH PLAIN\r\n", "HELO client.test\r\nNOOP\r\n"), REGRESSION_SOURCE);

            // Seed -3693185899614687237: a recipient path over 256 octets made James answer 451 4.0.0, with a stack
            // trace.
            int longPathLog = server.jamesLog().length();
            HostileClient.Outcome longPath = client.play(
                    scripted("EHLO client.test\r\nMAIL FROM:<sender@example.com>\r\nRCPT TO:<" + "l".repeat(300)
                            + "@localhost>\r\n"),
                    REGRESSION_SOURCE);
            assertThat(longPath.replyLines()).contains("501 5.1.3 Path too long");
            ServerHealth.assertCleanLog(ServerHealth.entriesSince(server, longPathLog));
            // Run seed of CI, 2026-12-02: an AUTH PLAIN user name decoded with a LF, which James logged at ERROR
            // ("DELEGATE failed from Username{localPart=4<LF>..."): the rest of the name became an entry of its own.
            int forgedLog = server.jamesLog().length();
            String forged = Base64.getEncoder()
                    .encodeToString("4\n2026-12-02 05:00:00.000 [ERROR] i.g.s.smtp.AuthHook - forged"
                            .getBytes(StandardCharsets.UTF_8));
            HostileClient.Outcome forgedLine =
                    client.play(scripted("EHLO client.test\r\nAUTH PLAIN " + forged + "\r\n"), REGRESSION_SOURCE);
            assertThat(forgedLine.replyLines()).contains("501 5.5.2 Control characters are not allowed in credentials");
            ServerHealth.assertCleanLog(ServerHealth.entriesSince(server, forgedLog));
            // A burst of short lines past the 421 that closes the session: James logged one INFO line for each.
            int logBefore = server.jamesLog().length();
            HostileClient.Outcome burst =
                    client.play(scripted("X\r\n".repeat(11) + "\n".repeat(20_000)), REGRESSION_SOURCE);
            Awaitility.await("the burst's connection closed")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ServerHealth.connections(server, REGRESSION_SOURCE) == 0);
            assertThat(server.jamesLog().length() - logBefore)
                    .as("log written for one session of 20 KB")
                    .isLessThan(20_000);

            Stats stats = new Stats();
            check(login, stats);
            check(plain, stats);
            check(burst, stats);
            check(longPath, stats);
            check(forgedLine, stats);
            assertThat(stats.failures).isEmpty();
            assertThat(login.replyLines())
                    .contains("334 VXNlcm5hbWU6", "501 Could not decode parameters for AUTH LOGIN");
            assertThat(plain.replyLines())
                    .contains(
                            "334 OK. Continue authentication",
                            "501 Could not decode parameters for AUTH PLAIN",
                            "250 2.0.0 OK");
            assertThat(plain.closedByServer()).isTrue();
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * Found by this suite: with James's default, every connect waited on the I/O thread for a reverse DNS lookup of the
     * client (for the log's MDC), so one client with slow reverse DNS stalled every session of that thread for the
     * resolver's timeout (5 s). Not reproducible without a slow resolver on the host: the shipped setting is checked.
     */
    @Test
    void theShippedServerDoesNotLookUpClientNamesOnItsIoThreads() throws IOException {
        Properties jvm = new Properties();
        try (var reader = Files.newBufferedReader(server.conf("jvm.properties"))) {
            jvm.load(reader);
        }
        assertThat(jvm.getProperty("james.protocols.mdc.hostname")).isEqualTo("false");
    }

    private static HostileSession scripted(String... bursts) {
        return new HostileSession(
                0,
                Arrays.stream(bursts).map(burst -> burst.getBytes(ISO_8859_1)).toList(),
                HostileSession.Ending.QUIT,
                false);
    }

    /** Plays {@code count} sessions whose seeds come from {@code seeds}, on {@link #THREADS} threads. */
    private static Stats run(HostileClient client, ExecutorService players, SplittableRandom seeds, int count)
            throws Exception {
        Stats stats = new Stats();
        AtomicInteger next = new AtomicInteger();
        long[] sessionSeeds = seeds.longs(count).toArray();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(players.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    check(
                            client.play(HostileSession.generate(sessionSeeds[i]), SOURCES.get(i % SOURCES.size())),
                            stats);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(10, TimeUnit.MINUTES);
        }
        return stats;
    }

    /** What every session must see, whatever it sent. */
    private static void check(HostileClient.Outcome outcome, Stats stats) {
        HostileSession session = outcome.session();
        stats.sessions.incrementAndGet();
        stats.slowest.accumulateAndGet(outcome, (a, b) -> a == null || b.millis() > a.millis() ? b : a);
        stats.bytes.addAndGet(session.size());
        List<String> lines = outcome.replyLines();
        List<String> problems = new ArrayList<>();
        if (outcome.problem() != null) {
            problems.add(outcome.problem());
        }
        if (outcome.replies().contains("(read timed out)")) {
            problems.add("no reply and no close for " + HostileClient.CLOSE_TIMEOUT_MILLIS + " ms");
        }
        if (!lines.isEmpty() && !lines.get(0).startsWith("220 ")) {
            problems.add("greeted with " + lines.get(0));
        }
        for (String line : lines) {
            if (!REPLY_LINE.matcher(line).matches() && !line.equals("(read timed out)")) {
                problems.add("not an SMTP reply line: " + line);
            }
            if (line.startsWith("451 Unable to process request")) {
                if (session.startTls()) {
                    stats.startTls451.incrementAndGet();
                } else {
                    problems.add("a reply produced by an exception: " + line);
                }
            }
            if (line.startsWith("421 ")) {
                stats.closedBy421.incrementAndGet();
            }
        }
        if (!problems.isEmpty() && stats.failures.size() < 20) {
            stats.failures.add(String.join("; ", problems) + "\n from " + outcome.source() + ", " + session.describe()
                    + "\n replay: -Dsmtpshield.fuzz.session=" + session.seed() + "\n replies: "
                    + tail(outcome.replies()));
        }
    }

    /** EHLO at one byte per second, then QUIT: the slow client is served like any other. Returns the EHLO reply. */
    private static String slowClient() throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(SLOW_SOURCE), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.smtpPort()), 10_000);
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            readLine(in);
            for (byte b : "EHLO slow.test\r\n".getBytes(ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(1000); // the point of this client: one byte per second
            }
            String reply = readLine(in);
            out.write("QUIT\r\n".getBytes(ISO_8859_1));
            return reply;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    /**
     * Waits for James's spool to be empty, then drops the mail James keeps in its memory (delivered messages, bounces
     * waiting in the outgoing queue, mail repositories): the heap is compared without them.
     */
    private static void settle() {
        Awaitility.await("an empty spool")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> queueSize("spool") == 0);
        int status = server.webAdmin()
                .delete("/users/" + HostileSession.KNOWN_USER + "/mailboxes")
                .statusCode();
        assertThat(status).isEqualTo(204);
        server.webAdmin().delete("/mailQueues/outgoing/mails");
        Awaitility.await("an empty outgoing queue")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> queueSize("outgoing") == 0);
        for (var repository :
                ServerHealth.json(server.webAdmin().get("/mailRepositories").body())) {
            String path = repository.get("path").asText();
            server.webAdmin().delete("/mailRepositories/" + path + "/mails");
            Awaitility.await("an empty mail repository " + path)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> ServerHealth.json(server.webAdmin()
                                            .get("/mailRepositories/" + path)
                                            .body())
                                    .get("size")
                                    .asInt()
                            == 0);
        }
    }

    private static int queueSize(String queue) {
        return ServerHealth.json(server.webAdmin().get("/mailQueues/" + queue).body())
                .get("size")
                .asInt();
    }

    private static String tail(String replies) {
        String shown = replies.replace("\r\n", " | ");
        return shown.length() > 600 ? "..." + shown.substring(shown.length() - 600) : shown;
    }

    private static final class Stats {
        final AtomicInteger sessions = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger closedBy421 = new AtomicInteger();
        final AtomicInteger startTls451 = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicReference<HostileClient.Outcome> slowest = new AtomicReference<>();
    }
}
