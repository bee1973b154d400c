package io.github.smtpshield.policy;

import io.github.smtpshield.policy.SmtpEvent.DeclaredSize;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.SmtpEvent.Recipient;
import java.util.Optional;

/** The SMTP events of the tests, sent to a shield and their answers waited for. */
final class Events {
    private Events() {}

    static Optional<Refusal> connect(Shield shield, ClientConnection client) {
        return shield.on(client, SmtpEvent.CONNECT).join();
    }

    static void disconnected(Shield shield, ClientConnection client) {
        shield.note(client, SmtpEvent.DISCONNECT);
    }

    /** MAIL FROM of the null sender: no domain to look up. */
    static Optional<Refusal> mailFrom(Shield shield, ClientConnection client) {
        return senderDns(shield, client, Optional.empty());
    }

    static Optional<Refusal> senderDns(Shield shield, ClientConnection client, Optional<String> senderDomain) {
        return shield.on(client, new MailFrom(senderDomain)).join();
    }

    static void messageAccepted(Shield shield, ClientConnection client) {
        shield.note(client, SmtpEvent.MESSAGE_ACCEPTED);
    }

    static void transactionEnded(Shield shield, ClientConnection client) {
        shield.note(client, SmtpEvent.TRANSACTION_ENDED);
    }

    static Optional<Refusal> unknownRecipient(Shield shield, ClientConnection client) {
        return shield.on(client, SmtpEvent.UNKNOWN_RECIPIENT).join();
    }

    static Optional<Refusal> commandFailed(Shield shield, ClientConnection client) {
        return shield.on(client, SmtpEvent.COMMAND_FAILED).join();
    }

    static Optional<Refusal> recipient(Shield shield, ClientConnection client, int accepted) {
        return shield.on(client, new Recipient(accepted)).join();
    }

    static Optional<Refusal> declaredMessageSize(Shield shield, ClientConnection client, long bytes) {
        return shield.on(client, new DeclaredSize(bytes)).join();
    }
}
