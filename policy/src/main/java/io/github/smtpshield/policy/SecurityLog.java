package io.github.smtpshield.policy;

import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.BlockListener;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security log: logger {@code smtpshield.security}, one line per rejection, per observed would-be rejection,
 * and per block start and end, in Kerio's words where Kerio has words:
 * <pre>
 * SMTP connection from 203.0.113.5 rejected: directory harvest attack
 * SMTP connection from 203.0.113.5 would be rejected (observe mode): too many concurrent connections (limit 10)
 * Block of 203.0.113.5 started until 2026-11-28T12:00:00Z: HARVEST
 * </pre>
 */
public final class SecurityLog implements BlockListener {
    private static final Logger LOG = LoggerFactory.getLogger("smtpshield.security");

    public void rejected(InetAddress client, Refusal refusal, String detail) {
        LOG.info("SMTP connection from {} rejected: {}{}", client.getHostAddress(), refusal.reason(), detail);
    }

    public void observed(InetAddress client, Refusal refusal, String detail) {
        LOG.info(
                "SMTP connection from {} would be rejected (observe mode): {}{}",
                client.getHostAddress(),
                refusal.reason(),
                detail);
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
