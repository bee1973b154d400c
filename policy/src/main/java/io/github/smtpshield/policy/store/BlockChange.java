package io.github.smtpshield.policy.store;

import java.util.Objects;

/**
 * What {@link ClientStore#block} did, decided in one step: the block now in force, and whether it replaced one that
 * was active (an operator's API answers a new block and a replacement differently).
 */
public record BlockChange(Block block, boolean replaced) {
    public BlockChange {
        Objects.requireNonNull(block, "block");
    }
}
