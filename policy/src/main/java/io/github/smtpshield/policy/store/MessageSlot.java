package io.github.smtpshield.policy.store;

/**
 * One message taken from a client's hourly budget at MAIL FROM ({@link ClientStore#takeMessage}), held by its mail
 * transaction: kept when the message is accepted, given back ({@link ClientStore#returnMessage}) when the transaction
 * ends without one.
 *
 * @param drainsAt when the client's bucket drained just after the take, in the store's unit of time (see
 *     {@link Gcra}); 0 for a slot that counted nothing (the limit off)
 * @param overLimit taken past the budget, for a rule that only observes
 */
public record MessageSlot(long drainsAt, boolean overLimit) {

    /** The slot of a limit that is off: nothing counted, nothing to give back. */
    public static final MessageSlot UNCOUNTED = new MessageSlot(0, false);
}
