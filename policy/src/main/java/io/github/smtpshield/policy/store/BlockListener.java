package io.github.smtpshield.policy.store;

/**
 * Hears the start and end of blocks, so an adapter can write the security log. Called on the thread that
 * caused the change, after the store has changed, never while the store holds a lock.
 */
public interface BlockListener {

    BlockListener NONE = new BlockListener() {};

    /** A block started: a harvest detected by the store or an operator's manual block. */
    default void blockStarted(Block block) {}

    /** An operator lifted the block before its end. */
    default void blockLifted(Block block) {}

    /**
     * The block reached its end. Reported when the store first notices: at the client's next connection,
     * at the next listing of blocks, or when an operator unblocks a key whose block had already ended.
     */
    default void blockExpired(Block block) {}
}
