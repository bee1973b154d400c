package io.github.smtpshield.e2e;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * A user's INBOX on the test server, read over IMAPS. Delivery runs after the SMTP reply, so the tests wait for it:
 * every wait is polled and bounded.
 */
record Inbox(int imapsPort, String user, String password) {
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    static Inbox of(ShieldServer server, String user, String password) {
        return new Inbox(server.imapsPort(), user, password);
    }

    /** The number of messages in the INBOX now. */
    int size() {
        try (ImapsClient imap = ImapsClient.login(imapsPort, user, password)) {
            return imap.inboxSize();
        }
    }

    void awaitSize(int size) {
        awaitSize(size, DELIVERY);
    }

    void awaitSize(int size, Duration atMost) {
        Awaitility.await(user + "'s INBOX to hold " + size)
                .atMost(atMost)
                .pollInterval(POLL)
                .ignoreException(UncheckedIOException.class) // a connection that failed is tried again
                .until(() -> size() == size);
    }

    /**
     * The text of message {@code n} once it passes {@code check}. A message that fails the check is fetched again until
     * the wait runs out, then the last failure is reported: CI once saw a FETCH right after delivery answer without
     * the message's text. A connection that fails counts as such a failure.
     */
    String awaitMessage(int n, Consumer<String> check) {
        AtomicReference<String> passed = new AtomicReference<>();
        Awaitility.await("message " + n + " of " + user + "'s INBOX")
                .atMost(DELIVERY)
                .pollInterval(POLL)
                .untilAsserted(() -> {
                    String text;
                    try (ImapsClient imap = ImapsClient.login(imapsPort, user, password)) {
                        text = imap.fetch(n);
                    } catch (IllegalStateException | UncheckedIOException noMessage) {
                        throw new AssertionError(noMessage.getMessage(), noMessage);
                    }
                    check.accept(text);
                    passed.set(text);
                });
        return passed.get();
    }
}
