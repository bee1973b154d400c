package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A client key (or, for {@link #NETWORK}, a network) refused at connect from {@code since} until {@code until}, for
 * {@code reason}: {@link #HARVEST}, {@link #AUTH}, {@link #REPEATED} or {@link #NETWORK} when the shield started it, an
 * operator's words when set by hand.
 *
 * @param offences how many blocks of the key in a row this is, each started within the escalation's {@code memory} of
 *     the one before (1 without escalation, and for the harvest rule's and operators' blocks)
 */
public record Block(IpPrefix key, String reason, Instant since, Instant until, int offences) {

    /** The reason of a block started by too many unknown recipients (a directory harvest attack). */
    public static final String HARVEST = "HARVEST";
    /** The reason of a block started by too many failed authentications (password guessing). */
    public static final String AUTH = "AUTH";
    /** The reason of a block started by too many refusals of the shield's rules. */
    public static final String REPEATED = "REPEATED";
    /** The reason of a network's block, started when enough of its client keys were blocked at once. */
    public static final String NETWORK = "NETWORK";

    public Block {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(since)) {
            throw new IllegalArgumentException("a block must end after it starts: " + since + " .. " + until);
        }
        if (offences < 1) {
            throw new IllegalArgumentException("a block is at least the first offence: " + offences);
        }
    }

    /** A first offence. */
    public Block(IpPrefix key, String reason, Instant since, Instant until) {
        this(key, reason, since, until, 1);
    }

    /** How long the block lasts, from start to end. */
    public Duration length() {
        return Duration.between(since, until);
    }

    /** True while the block holds: from {@code since} up to, not including, {@code until}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
