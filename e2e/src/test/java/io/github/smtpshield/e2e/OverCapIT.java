package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recipient and size caps hold for mail that never met the shield's SMTP hooks: submission on 587 (STARTTLS,
 * AUTH) is not guarded by them, so there the shipped mailetcontainer.xml's matchers and RejectWithDsn act. Mail over a
 * cap reaches nobody and its sender gets a DSN with 5.5.3 or 5.3.4. The policy's caps are lowered for the test: 3
 * recipients, 64K.
 */
class OverCapIT {
    private static final String PASSWORD = "secret";

    private static ShieldServer server;

    @BeforeAll
    static void start() {
        server = ShieldServer.prepare()
            .editConf("smtpshield.xml", xml -> xml
                .replace("<maxRecipientsPerMessage>100</maxRecipientsPerMessage>", "<maxRecipientsPerMessage>3</maxRecipientsPerMessage>")
                .replace("<maxMessageSize>25M</maxMessageSize>", "<maxMessageSize>64K</maxMessageSize>"))
            .start();
        server.webAdmin().createUser("example.test", "alice@example.test", PASSWORD);
        for (String user : List.of("bob", "carol", "dave", "erin", "frank", "gina")) {
            server.webAdmin().addUser(user + "@example.test", PASSWORD);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMessageToOneRecipientTooManyIsBouncedWith553AndNobodyGetsACopy() {
        assertThat(Submission.send(server, "alice@example.test", PASSWORD,
            List.of("bob@example.test", "carol@example.test", "dave@example.test", "erin@example.test"),
            "Subject: to four\r\n\r\nOne recipient too many.").code()).isEqualTo(250);

        awaitInbox("alice@example.test", 1);
        assertThat(fetch("alice@example.test", 1))
            .contains("multipart/report", "report-type=delivery-status")
            .contains("Final-Recipient: rfc822; bob@example.test\r\nAction: failed\r\nStatus: 5.5.3")
            .contains("Final-Recipient: rfc822; erin@example.test\r\nAction: failed\r\nStatus: 5.5.3")
            .contains("Too many recipients: 4, at most 3 per message")
            .contains("Subject: to four");

        // Within the cap the same sender's message goes through; it is the only one its recipients ever get.
        assertThat(Submission.send(server, "alice@example.test", PASSWORD, List.of("bob@example.test", "carol@example.test", "dave@example.test"),
            "Subject: to three\r\n\r\nWithin the cap.").code()).isEqualTo(250);
        for (String recipient : List.of("bob@example.test", "carol@example.test", "dave@example.test")) {
            awaitInbox(recipient, 1);
            assertThat(fetch(recipient, 1)).contains("Subject: to three");
        }
        assertThat(inboxSize("erin@example.test")).isZero();
    }

    @Test
    void aMessageOverTheSizeCapIsBouncedWith534AndNobodyGetsACopy() {
        String big = "Subject: too big\r\n\r\n" + ("x".repeat(76) + "\r\n").repeat(1200);
        assertThat(Submission.send(server, "frank@example.test", PASSWORD, List.of("gina@example.test"), big).code()).isEqualTo(250);

        awaitInbox("frank@example.test", 1);
        String dsn = fetch("frank@example.test", 1);
        assertThat(dsn)
            .contains("Final-Recipient: rfc822; gina@example.test\r\nAction: failed\r\nStatus: 5.3.4")
            .contains("Message too big:")
            .contains("at most 65536");
        assertThat(dsn.length()).as("the DSN carries the header only, not the big message").isLessThan(20_000);

        assertThat(Submission.send(server, "frank@example.test", PASSWORD, List.of("gina@example.test"),
            "Subject: small\r\n\r\nWithin the cap.").code()).isEqualTo(250);
        awaitInbox("gina@example.test", 1);
        assertThat(fetch("gina@example.test", 1)).contains("Subject: small");
    }

    @Test
    void aBadCapInMailetcontainerStopsStartUpWithOneClearLine() {
        try (ShieldServer broken = ShieldServer.prepare()) {
            broken.editConf("mailetcontainer.xml", xml -> xml.replace("match=\"io.github.smtpshield.mailets.TooManyRecipients\"",
                "match=\"io.github.smtpshield.mailets.TooManyRecipients=lots\""));

            assertThat(broken.startExpectingFailure()).isNotZero();
            assertThat(broken.output()).contains("[ERROR] smtpshield - SMTP Shield refuses to start: mailetcontainer.xml:"
                + " matcher io.github.smtpshield.mailets.TooManyRecipients=lots: not a whole number of recipients: 'lots'");
        }
    }

    private static void awaitInbox(String user, int size) {
        Awaitility.await(user + "'s INBOX to hold " + size).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
            .until(() -> inboxSize(user) == size);
    }

    private static int inboxSize(String user) {
        try (ImapsClient imap = ImapsClient.login(server.imapsPort(), user, PASSWORD)) {
            return imap.inboxSize();
        }
    }

    private static String fetch(String user, int n) {
        try (ImapsClient imap = ImapsClient.login(server.imapsPort(), user, PASSWORD)) {
            return imap.fetch(n).replace("\n", "\r\n").replace("\r\r\n", "\r\n");
        }
    }
}
