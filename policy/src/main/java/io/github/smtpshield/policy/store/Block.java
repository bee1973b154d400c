package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Instant;
import java.util.Objects;

/**
 * A client key refused at connect from {@code since} until {@code until}, for {@code reason}:
 * {@link #HARVEST} when the store started it, an operator's words when set by hand.
 */
public record Block(IpPrefix key, String reason, Instant since, Instant until) {

    /** The reason of a block started by too many unknown recipients (a directory harvest attack). */
    public static final String HARVEST = "HARVEST";

    public Block {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(since)) {
            throw new IllegalArgumentException("a block must end after it starts: " + since + " .. " + until);
        }
    }

    /** True while the block holds: from {@code since} up to, not including, {@code until}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
