package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.testing.FreePorts;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The packaged (durable) server keeps what it was given across a clean stop and a kill -9: domains, users and their
 * passwords, messages with their flags, recipient rewrites, mail waiting in a queue, mail kept in a repository, and
 * the shield's blocks.
 */
class DurabilityIT {
    private static final String DOMAIN = "durable.test";
    private static final String USER = "alice@durable.test";
    private static final String PASSWORD = "s3cret-durable";
    private static final String ALIAS = "ali@durable.test";
    /** A domain mapped onto DOMAIN: mail to one of its unknown users ends in the address-error repository. */
    private static final String ALIAS_DOMAIN = "alias.test";

    private static final String ADDRESS_ERRORS = URLEncoder.encode("var/mail/address-error", StandardCharsets.UTF_8);
    private static final String BLOCKED = "127.0.0.70";

    @Test
    void everythingSurvivesACleanStopAndAKill() {
        // Remote mail goes to a port where nothing listens, and waits an hour before its next try: it stays queued.
        int nobodyListens = FreePorts.take();
        // Only 127.0.0.1 exempt and authorized: BLOCKED is an ordinary client that can be blocked.
        try (ShieldServer server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", TestPolicy.with("", ""))
                .editConf(
                        "mailetcontainer.xml",
                        xml -> xml.replace(
                                "<outgoing>outgoing</outgoing>\n                <delayTime>5000, 100000, 500000</delayTime>",
                                "<outgoing>outgoing</outgoing>\n<gateway>127.0.0.1</gateway>\n<gatewayPort>"
                                        + nobodyListens + "</gatewayPort>\n<delayTime>1h</delayTime>"))
                .start()) {
            WebAdminClient webAdmin = server.webAdmin();
            webAdmin.createUser(DOMAIN, USER, PASSWORD);
            assertThat(webAdmin.put("/address/aliases/" + USER + "/sources/" + ALIAS)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(webAdmin.put("/domains/" + ALIAS_DOMAIN).statusCode()).isEqualTo(204);
            assertThat(webAdmin.put("/domains/" + DOMAIN + "/aliases/" + ALIAS_DOMAIN)
                            .statusCode())
                    .isEqualTo(204);
            assertThat(webAdmin.put("/smtpshield/blocked/" + BLOCKED + "?reason=durability")
                            .statusCode())
                    .isEqualTo(201);

            deliver(server, "alice-friend@example.net", ALIAS, "through the alias");
            Inbox inbox = Inbox.of(server, USER, PASSWORD);
            inbox.awaitSize(1);
            try (ImapsClient imap = ImapsClient.login(server.imapsPort(), USER, PASSWORD)) {
                imap.addFlags(1, "\\Flagged");
            }
            deliver(server, "alice@durable.test", "bob@remote.test", "for the queue");
            deliver(server, "", "nobody@" + ALIAS_DOMAIN, "for the repository");
            Awaitility.await("the remote mail to wait in the outgoing queue, the other in address-error")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> queueSize(server) == 1 && repositorySize(server) == 1);

            assertAllThere(server, 1);

            server.stop();
            server.start();
            assertAllThere(server, 1);

            server.kill();
            server.start();
            assertAllThere(server, 1);

            // The rewrite is not only listed: it still routes.
            deliver(server, "alice-friend@example.net", ALIAS, "after the crash");
            inbox.awaitSize(2);
        }
    }

    private static void assertAllThere(ShieldServer server, int messages) {
        WebAdminClient webAdmin = server.webAdmin();
        assertThat(webAdmin.get("/domains").body()).contains("\"" + DOMAIN + "\"");
        assertThat(webAdmin.get("/users").body()).contains("\"" + USER + "\"");
        assertThat(webAdmin.get("/address/aliases/" + USER).body()).contains(ALIAS);
        assertThat(webAdmin.get("/domains/" + DOMAIN + "/aliases").body()).contains(ALIAS_DOMAIN);
        // The password is the old one: the login of the IMAP session below fails otherwise.
        try (ImapsClient imap = ImapsClient.login(server.imapsPort(), USER, PASSWORD)) {
            assertThat(imap.inboxSize()).isEqualTo(messages);
            assertThat(imap.flags(1)).contains("\\Flagged");
            assertThat(imap.header("Subject")).containsExactly("through the alias");
        }
        assertThat(queueSize(server)).as("mail in the outgoing queue").isEqualTo(1);
        assertThat(repositorySize(server))
                .as("mail in the address-error repository")
                .isEqualTo(1);
        assertThat(webAdmin.get("/smtpshield/blocked").body()).contains(BLOCKED);
        try (SmtpClient blocked = SmtpClient.connect(BLOCKED, server.smtpPort())) {
            assertThat(blocked.greeting().line()).startsWith("421 4.7.1");
        }
    }

    private static int queueSize(ShieldServer server) {
        String queue = server.webAdmin().get("/mailQueues/outgoing").body();
        return Integer.parseInt(queue.replaceAll(".*\"size\":(\\d+).*", "$1"));
    }

    private static int repositorySize(ShieldServer server) {
        var repository = server.webAdmin().get("/mailRepositories/" + ADDRESS_ERRORS);
        if (repository.statusCode() == 404) {
            return 0;
        }
        return Integer.parseInt(repository.body().replaceAll(".*\"size\":(\\d+).*", "$1"));
    }

    /**
     * Sends a message from 127.0.0.1 (an authorized network: it may relay) on port 25 and expects 250 after DATA. An
     * empty sender is the null sender: nobody gets a bounce of it.
     */
    private static void deliver(ShieldServer server, String from, String to, String subject) {
        try (SmtpClient smtp = SmtpClient.connect(server.smtpPort())) {
            smtp.send("EHLO client.example.net");
            SmtpClient.Reply reply = smtp.sendMail(
                    from,
                    List.of(to),
                    "From: <friend@example.net>\r\nTo: <" + to + ">\r\nSubject: " + subject
                            + "\r\n\r\nA message that has to outlive the server.\r\n");
            assertThat(reply.code()).as("reply to DATA of '%s'", subject).isEqualTo(250);
            smtp.send("QUIT");
        }
    }
}
