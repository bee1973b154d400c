package io.github.smtpshield.policy.store;

import java.util.Objects;
import java.util.Optional;

/**
 * The store's answer to one offence counted towards a ban ({@link ClientStore#recordOffence},
 * {@link ClientStore#recordBlockInNetwork}).
 *
 * @param outcome what the offence did
 * @param block   the block it started, with {@link Outcome#BLOCK_STARTED} and only then
 */
public record BanVerdict(Outcome outcome, Optional<Block> block) {

    public enum Outcome {
        /** Counted (or the limit is off): nothing more happens. */
        UNDER_LIMIT,
        /** Over the limit: the key is blocked from now on, for the block's length. */
        BLOCK_STARTED,
        /** Over the limit, but the caller asked for no block (observe mode): the count starts again. */
        LIMIT_EXCEEDED,
        /** The key was blocked already: nothing was counted. */
        ALREADY_BLOCKED
    }

    public static final BanVerdict UNDER_LIMIT = new BanVerdict(Outcome.UNDER_LIMIT, Optional.empty());
    public static final BanVerdict LIMIT_EXCEEDED = new BanVerdict(Outcome.LIMIT_EXCEEDED, Optional.empty());
    public static final BanVerdict ALREADY_BLOCKED = new BanVerdict(Outcome.ALREADY_BLOCKED, Optional.empty());

    public BanVerdict {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.BLOCK_STARTED) != block.isPresent()) {
            throw new IllegalArgumentException("a block goes with BLOCK_STARTED and only with it");
        }
    }

    public static BanVerdict started(Block block) {
        return new BanVerdict(Outcome.BLOCK_STARTED, Optional.of(block));
    }
}
