package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.net.IpPrefix;
import java.util.Optional;

/**
 * What the store knows about one client key right now, for an operator (WebAdmin).
 *
 * @param key the client key
 * @param connections open connections admitted and not yet disconnected
 * @param messages accepted messages that still weigh on the hourly budget (the budget refills continuously,
 *     so this is the sliding count, not a count since the top of the hour)
 * @param messagesLeft messages the client may still send right now, -1 when the hourly limit is off
 * @param unknownRecipients unknown recipients that still weigh on the harvest limit within its window
 * @param block the active block, if any
 */
public record ClientCounters(
        IpPrefix key, int connections, int messages, int messagesLeft, int unknownRecipients, Optional<Block> block) {}
