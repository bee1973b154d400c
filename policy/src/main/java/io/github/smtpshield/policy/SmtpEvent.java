package io.github.smtpshield.policy;

import io.github.smtpshield.policy.store.Block;
import java.util.Optional;

/**
 * What happens in an SMTP session that a rule may judge or count. The adapters send events to {@link Shield#on};
 * each rule declares the events it handles. A refusal answers the event; for a notification (a disconnect, an
 * accepted message) there is nothing to answer.
 */
public sealed interface SmtpEvent {

    /**
     * The SMTP command the event belongs to, as the security log names it ({@code MAIL}, {@code RCPT}, {@code DATA});
     * empty for what belongs to the connection (connect, disconnect) or to no one command.
     */
    String command();

    /** The client connected (for a PROXY listener: once the proxy named it). A refusal closes the connection. */
    Connect CONNECT = new Connect();
    /** The connection closed, however it closed (QUIT, drop, timeout, TLS failure). A notification. */
    Disconnect DISCONNECT = new Disconnect();
    /** A recipient was refused by James's recipient validation as unknown ({@code 550 5.1.1}). */
    UnknownRecipient UNKNOWN_RECIPIENT = new UnknownRecipient();
    /** A message of the client was accepted for delivery (queued). A notification. */
    MessageAccepted MESSAGE_ACCEPTED = new MessageAccepted();
    /**
     * The session has no mail transaction after a command: one that was under way ended without an accepted message
     * (RSET, HELO/EHLO, STARTTLS, a refused MAIL FROM, a message refused at the end of DATA), or there was none. A
     * notification, sent as often as the adapter likes.
     */
    TransactionEnded TRANSACTION_ENDED = new TransactionEnded();
    /**
     * A command of the client was answered 4xx/5xx, other than {@code 452 4.5.3}. A refusal replaces that command's
     * reply.
     */
    CommandFailed COMMAND_FAILED = new CommandFailed();
    /** The session has lasted as long as it may (its connect was that long ago). A refusal closes the connection. */
    SessionExpired SESSION_EXPIRED = new SessionExpired();

    /** See {@link #CONNECT}. */
    record Connect() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /** See {@link #DISCONNECT}. */
    record Disconnect() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /**
     * MAIL FROM.
     *
     * @param senderDomain the domain of the sender address as the client wrote it (an address literal in its
     *     brackets); empty for the null sender {@code <>}
     */
    record MailFrom(Optional<String> senderDomain) implements SmtpEvent {
        @Override
        public String command() {
            return "MAIL";
        }
    }

    /**
     * MAIL FROM with {@code SIZE=bytes} (RFC 1870).
     *
     * @param bytes the size the client declares
     */
    record DeclaredSize(long bytes) implements SmtpEvent {
        @Override
        public String command() {
            return "MAIL";
        }
    }

    /**
     * RCPT TO.
     *
     * @param accepted the recipients accepted so far for the message under way
     */
    record Recipient(int accepted) implements SmtpEvent {
        @Override
        public String command() {
            return "RCPT";
        }
    }

    /** See {@link #UNKNOWN_RECIPIENT}. */
    record UnknownRecipient() implements SmtpEvent {
        @Override
        public String command() {
            return "RCPT";
        }
    }

    /**
     * DATA: the message has reached {@code bytes} so far (counted as RFC 1870 counts them). A refusal means: discard
     * the rest and answer it at the end of DATA.
     *
     * @param bytes the bytes of the message so far
     */
    record MessageData(long bytes) implements SmtpEvent {
        @Override
        public String command() {
            return "DATA";
        }
    }

    /** See {@link #MESSAGE_ACCEPTED}. */
    record MessageAccepted() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /** See {@link #TRANSACTION_ENDED}. */
    record TransactionEnded() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /** See {@link #COMMAND_FAILED}. */
    record CommandFailed() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /** See {@link #SESSION_EXPIRED}. */
    record SessionExpired() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /**
     * A client connected to a listener the policy does not guard (465, 587): only the bans judge it (a blocked key or
     * network is refused there too). A refusal closes the connection.
     */
    SubmissionConnect SUBMISSION_CONNECT = new SubmissionConnect();

    /** See {@link #SUBMISSION_CONNECT}. */
    record SubmissionConnect() implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /**
     * AUTH with credentials, before they are checked, on any listener. A refusal answers the AUTH in place of the
     * check.
     *
     * @param account the login name, case-folded
     */
    record AuthAttempt(String account) implements SmtpEvent {
        @Override
        public String command() {
            return "AUTH";
        }
    }

    /**
     * AUTH whose credentials were wrong ({@code 535}), on any listener. A refusal replaces the {@code 535}.
     *
     * @param account the login name, case-folded
     */
    record AuthFailed(String account) implements SmtpEvent {
        @Override
        public String command() {
            return "AUTH";
        }
    }

    /**
     * The shield refused the client ({@code refusal}, answered, not only observed): sent by the shield itself after
     * the refusal of any other event. A refusal replaces the one answered.
     */
    record Refused(Refusal refusal) implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }

    /** A rule blocked the client's key ({@code block}): sent by the shield itself. A notification. */
    record ClientBlocked(Block block) implements SmtpEvent {
        @Override
        public String command() {
            return "";
        }
    }
}
