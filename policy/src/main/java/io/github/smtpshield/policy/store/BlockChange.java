package io.github.smtpshield.policy.store;

import java.util.Objects;

/**
 * What an operator's block did.
 *
 * @param block    the block now in force
 * @param replaced whether it replaced an active block of the key
 */
public record BlockChange(Block block, boolean replaced) {
    public BlockChange {
        Objects.requireNonNull(block, "block");
    }
}
