package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
                .editConf(
                        "smtpshield.xml",
                        xml -> xml.replace(
                                        "<maxRecipientsPerMessage>100</maxRecipientsPerMessage>",
                                        "<maxRecipientsPerMessage>3</maxRecipientsPerMessage>")
                                .replace(
                                        "<maxMessageSize>25M</maxMessageSize>", "<maxMessageSize>64K</maxMessageSize>"))
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
        assertThat(Submission.send(
                                server,
                                "alice@example.test",
                                PASSWORD,
                                List.of(
                                        "bob@example.test",
                                        "carol@example.test",
                                        "dave@example.test",
                                        "erin@example.test"),
                                "Subject: to four\r\n\r\nOne recipient too many.")
                        .code())
                .isEqualTo(250);

        inbox("alice@example.test").awaitSize(1);
        inbox("alice@example.test")
                .awaitMessage(
                        1,
                        dsn -> assertThat(dsn)
                                .contains("multipart/report", "report-type=delivery-status")
                                .contains(
                                        "Final-Recipient: rfc822; bob@example.test\r\nAction: failed\r\nStatus: 5.5.3")
                                .contains(
                                        "Final-Recipient: rfc822; erin@example.test\r\nAction: failed\r\nStatus: 5.5.3")
                                .contains("Too many recipients: 4, at most 3 per message")
                                .contains("Subject: to four"));

        // Within the cap the same sender's message goes through; it is the only one its recipients ever get.
        assertThat(Submission.send(
                                server,
                                "alice@example.test",
                                PASSWORD,
                                List.of("bob@example.test", "carol@example.test", "dave@example.test"),
                                "Subject: to three\r\n\r\nWithin the cap.")
                        .code())
                .isEqualTo(250);
        for (String recipient : List.of("bob@example.test", "carol@example.test", "dave@example.test")) {
            inbox(recipient).awaitSize(1);
            inbox(recipient).awaitMessage(1, text -> assertThat(text).contains("Subject: to three"));
        }
        assertThat(inbox("erin@example.test").size()).isZero();
    }

    @Test
    void aMessageOverTheSizeCapIsBouncedWith534AndNobodyGetsACopy() {
        String big = "Subject: too big\r\n\r\n" + ("x".repeat(76) + "\r\n").repeat(1200);
        assertThat(Submission.send(server, "frank@example.test", PASSWORD, List.of("gina@example.test"), big)
                        .code())
                .isEqualTo(250);

        inbox("frank@example.test").awaitSize(1);
        inbox("frank@example.test")
                .awaitMessage(
                        1,
                        dsn -> assertThat(dsn)
                                .contains(
                                        "Final-Recipient: rfc822; gina@example.test\r\nAction: failed\r\nStatus: 5.3.4")
                                .contains("Message too big:")
                                .contains("at most 65536")
                                .as("the DSN carries the header only, not the big message")
                                .hasSizeLessThan(20_000));

        assertThat(Submission.send(
                                server,
                                "frank@example.test",
                                PASSWORD,
                                List.of("gina@example.test"),
                                "Subject: small\r\n\r\nWithin the cap.")
                        .code())
                .isEqualTo(250);
        inbox("gina@example.test").awaitSize(1);
        inbox("gina@example.test").awaitMessage(1, text -> assertThat(text).contains("Subject: small"));
    }

    @Test
    void aBadCapInMailetcontainerStopsStartUpWithOneClearLine() {
        try (ShieldServer broken = ShieldServer.prepare()) {
            broken.editConf(
                    "mailetcontainer.xml",
                    xml -> xml.replace(
                            "match=\"io.github.smtpshield.mailets.TooManyRecipients\"",
                            "match=\"io.github.smtpshield.mailets.TooManyRecipients=lots\""));

            assertThat(broken.startExpectingFailure()).isNotZero();
            assertThat(broken.output())
                    .contains(
                            "[ERROR] smtpshield - SMTP Shield refuses to start: mailetcontainer.xml:"
                                    + " matcher io.github.smtpshield.mailets.TooManyRecipients=lots: not a whole number of recipients: 'lots'");
        }
    }

    private static Inbox inbox(String user) {
        return Inbox.of(server, user, PASSWORD);
    }
}
