package io.github.smtpshield.e2e;

import java.util.List;

/** A mail client of the server's own users: port 587, STARTTLS, AUTH PLAIN, then the message. */
final class Submission {
    private Submission() {}

    /** Sends as {@code user} (also the envelope sender); returns the reply to DATA, or to the first command that failed. */
    static SmtpClient.Reply send(
            ShieldServer server, String user, String password, List<String> recipients, String message) {
        try (SmtpClient smtp = SmtpClient.connect(server.submissionPort())) {
            smtp.send("EHLO client.example.test");
            SmtpClient.Reply tls = smtp.startTls();
            if (tls.code() != 220) {
                return tls;
            }
            smtp.send("EHLO client.example.test");
            SmtpClient.Reply auth = smtp.authPlain(user, password);
            if (auth.code() != 235) {
                return auth;
            }
            SmtpClient.Reply sent = smtp.sendMail(user, recipients, message);
            smtp.send("QUIT");
            return sent;
        }
    }
}
