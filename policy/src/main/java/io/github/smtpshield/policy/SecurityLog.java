package io.github.smtpshield.policy;

import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockListener;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security log: logger {@code smtpshield.security}, one line per refusal, per observed would-be refusal, and per
 * block start and end. A refusal that ends the connection (at connect, or a {@code 421} at a command) is Kerio's
 * line, with the command it answered; a refusal of one command, after which the session goes on, names the command:
 * <pre>
 * SMTP connection from 203.0.113.5 rejected: too many concurrent connections (limit 10)
 * SMTP connection from 203.0.113.5 rejected: directory harvest attack (at RCPT)
 * SMTP MAIL from 203.0.113.5 rejected: too many messages per hour (limit 200 per hour)
 * SMTP RCPT from 203.0.113.5 rejected: relaying denied (user@remote.example)
 * SMTP MAIL from 203.0.113.5 would be rejected (observe mode): sender domain not found in DNS (domain nx.example)
 * Block of 203.0.113.5 started until 2026-11-28T12:00:00Z: HARVEST
 * </pre>
 */
public final class SecurityLog implements BlockListener {
    private static final Logger LOG = LoggerFactory.getLogger("smtpshield.security");

    /**
     * A refusal of the client, its connection's or one command's.
     *
     * @param command the SMTP command refused ({@code MAIL}, {@code RCPT}, {@code DATA}), empty for the connection
     * @param detail  appended to the refusal's reason, e.g. {@code " (limit 10)"}; may be empty
     */
    public void rejected(InetAddress client, String command, Refusal refusal, String detail) {
        LOG.info("{} rejected: {}{}", line(client, command, refusal), refusal.reason(), detail + at(command, refusal));
    }

    /** A refusal a rule in observe mode would have made; as {@link #rejected}. */
    public void observed(InetAddress client, String command, Refusal refusal, String detail) {
        LOG.info(
                "{} would be rejected (observe mode): {}{}",
                line(client, command, refusal),
                refusal.reason(),
                detail + at(command, refusal));
    }

    /** What is refused: the connection, when the reply ends it; otherwise the command. */
    private static String line(InetAddress client, String command, Refusal refusal) {
        return (endsConnection(command, refusal) ? "SMTP connection" : "SMTP " + command) + " from "
                + client.getHostAddress();
    }

    /** For a refusal that ends the connection at a command, that command. */
    private static String at(String command, Refusal refusal) {
        return endsConnection(command, refusal) && !command.isEmpty() ? " (at " + command + ")" : "";
    }

    private static boolean endsConnection(String command, Refusal refusal) {
        return command.isEmpty() || refusal.reply().closes();
    }

    /** A mail in James's mailet container (one that never met the SMTP hooks) rejected over a cap. */
    public void mailRejected(String mail, String sender, String detail) {
        LOG.info("Message {} from {} rejected: {}", mail, sender, detail);
    }

    public void mailObserved(String mail, String sender, String detail) {
        LOG.info("Message {} from {} would be rejected (observe mode): {}", mail, sender, detail);
    }

    @Override
    public void blockStarted(Block block) {
        LOG.info("Block of {} started until {}: {}", block.key(), block.until(), block.reason());
    }

    @Override
    public void blockLifted(Block block) {
        LOG.info("Block of {} lifted by an operator: {}", block.key(), block.reason());
    }

    @Override
    public void blockExpired(Block block) {
        LOG.info("Block of {} expired: {}", block.key(), block.reason());
    }
}
