package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one store of per-client state: the shield's anvil.
 *
 * <p><b>What it counts</b>, per {@link IpPrefix}: open connections; accepted messages against an hourly
 * budget; unknown recipients against a harvest limit within a window; and an active block with its reason
 * and end.
 *
 * <p><b>When it answers</b>: at connect ({@link #tryConnect}), at MAIL FROM ({@link #takeMessage}), for each
 * unknown recipient ({@link #recordUnknownRecipient}); it also records disconnects and messages given back, and lets
 * an operator list, set and lift blocks. It only counts and answers: what to reply,
 * whom to exempt and whether a rule only observes is the caller's business.
 *
 * <p><b>Semantics</b> every implementation keeps (a Redis one included):
 * <ul>
 *   <li>Each method is one atomic decision for its key: two callers never both take the last slot.</li>
 *   <li>A limit of N allows N; the event that would be number N+1 is refused. A limit {@code <= 0} is off.</li>
 *   <li>Rates use GCRA, one timestamp per counter: a limit of N per window W lets a quiet client burst N,
 *       then allows one more every W/N as the count drains continuously (200 messages per hour: 200 at once,
 *       then one every 18 s). There are no clock-boundary resets and nothing to clean up.</li>
 *   <li>Counts drain by themselves; a block always has an end. Nothing can keep a client out forever.</li>
 * </ul>
 *
 * <p><b>Limits</b>: the number of tracked keys is bounded by the implementation (see its documentation); a
 * key with open connections is never forgotten, so its count can neither leak nor go below zero.
 */
public interface ClientStore extends AutoCloseable {

    /**
     * A new connection, in one atomic decision: {@link Admission#blocked BLOCKED} if the key has an active block
     * (never counted); else, if it already has {@code maxConcurrent} open connections,
     * {@link Admission#TOO_MANY_CONNECTIONS} (not counted), or with {@code countOverLimit} (a rule that only observes)
     * {@link Admission#COUNTED_OVER_LIMIT} (counted); else counted and {@link Admission#ADMITTED}. Every admitted
     * connection is counted even with the limit off, so that turning the limit on mid-flight finds true counts.
     */
    Admission tryConnect(IpPrefix key, int maxConcurrent, boolean countOverLimit);

    /** A new connection, the one over the limit refused and not counted: {@code tryConnect(key, maxConcurrent, false)}. */
    default Admission tryConnect(IpPrefix key, int maxConcurrent) {
        return tryConnect(key, maxConcurrent, false);
    }

    /**
     * An admitted connection closed, however it closed; the count never goes below zero. A store across the network may
     * send it without waiting for the answer: its own later decisions about the key see it, another node's may not yet
     * for one round trip.
     */
    void disconnect(IpPrefix key);

    /**
     * MAIL FROM: takes one message of the hourly budget of {@code maxPerHour}, in one atomic decision, so that parallel
     * sessions never both take the last one. Returns the slot taken, which counts from now; empty when the budget is
     * spent (nothing taken). With {@code countOverLimit} (a rule that only observes) a spent budget still gives a slot,
     * {@linkplain MessageSlot#overLimit over the limit}. With the limit off: {@link MessageSlot#UNCOUNTED}.
     */
    Optional<MessageSlot> takeMessage(IpPrefix key, int maxPerHour, boolean countOverLimit);

    /**
     * The transaction that took {@code slot} ended without an accepted message: the message goes back to the budget,
     * as much of it as has not drained yet since the take (never more than one message, nothing once it has drained).
     * Like {@link #disconnect}, a store across the network may send it without waiting.
     */
    void returnMessage(IpPrefix key, int maxPerHour, MessageSlot slot);

    /**
     * An unknown recipient (a {@code 550 5.1.1} answer). It counts against {@code limit} within
     * {@code window}, across connections (GCRA: the count drains by one every window/limit). The one that
     * exceeds the limit (the 11th under 10) blocks the key for {@code blockFor} with reason
     * {@link Block#HARVEST} and gets {@link HarvestVerdict#BLOCK_STARTED}; the count then starts again from
     * zero, the block being the penalty. While blocked, nothing is counted and the answer is
     * {@link HarvestVerdict#ALREADY_BLOCKED}. With {@code startBlock} false (a rule in observe mode) the one
     * that exceeds the limit gets {@link HarvestVerdict#LIMIT_EXCEEDED} and the count starts again, unblocked.
     */
    HarvestVerdict recordUnknownRecipient(
            IpPrefix key, int limit, Duration window, Duration blockFor, boolean startBlock);

    /** The key's block, if one is active now. */
    Optional<Block> activeBlock(IpPrefix key);

    /** Every active block, oldest first. */
    List<Block> blocks();

    /**
     * An operator's block of {@code key} for {@code forHowLong} from now; replaces any block of the key, and says
     * whether that one was active, in the same atomic decision. A replaced block that had already ended is reported
     * as {@linkplain BlockListener#blockExpired expired} (its end is noticed now).
     */
    BlockChange block(IpPrefix key, String reason, Duration forHowLong);

    /**
     * An operator lifts the key's block and clears its unknown-recipient count (a fresh start).
     *
     * @return true if an active block was lifted
     */
    boolean unblock(IpPrefix key);

    /**
     * The DNSBL screening's pass cache: the score of the address's last pass (a score below the threshold), while it
     * is remembered. Shared by every node of a cluster.
     */
    OptionalInt screeningPass(IpPrefix address);

    /** The address passed the DNSBL screening with {@code score}: remembered for {@code ttl}, then forgotten. */
    void rememberScreeningPass(IpPrefix address, int score, Duration ttl);

    /** What {@link #recordOffence} counts, each per client key within its own window. */
    enum Offence {
        /** A failed authentication ({@code <bans><authFailures>}). */
        AUTH_FAILURE,
        /** A refusal of one of the shield's rules ({@code <bans><repeatedRefusals>}). */
        REFUSAL
    }

    /**
     * An offence of the key, counted against {@code limit} within {@code window} (GCRA, as the unknown recipients).
     * The one over the limit blocks the key for the length {@code terms} give (escalated when the key was blocked
     * within the escalation's memory) and gets {@link BanVerdict.Outcome#BLOCK_STARTED}; the count then starts again.
     * While the key is blocked nothing is counted ({@link BanVerdict#ALREADY_BLOCKED}). With {@code startBlock} false
     * (observe mode) the one over the limit gets {@link BanVerdict#LIMIT_EXCEEDED}, unblocked. One atomic decision.
     */
    BanVerdict recordOffence(
            IpPrefix key, Offence offence, int limit, Duration window, BanTerms terms, boolean startBlock);

    /**
     * The block {@code member} of {@code network} started: when at least {@code threshold} distinct keys of the
     * network are blocked at once, the network itself is blocked ({@link BanVerdict.Outcome#BLOCK_STARTED}) for the
     * length {@code terms} give; {@link BanVerdict#ALREADY_BLOCKED} while it is; with {@code startBlock} false
     * {@link BanVerdict#LIMIT_EXCEEDED} instead of a block. One atomic decision.
     */
    BanVerdict recordBlockInNetwork(IpPrefix network, Block member, int threshold, BanTerms terms, boolean startBlock);

    /**
     * A failed authentication as {@code account} (case-folded by the caller), counted against {@code limit} within
     * {@code window} whatever the client; the one over the limit locks the account for {@code lockFor} and gets
     * {@link BanVerdict.Outcome#BLOCK_STARTED} (the count starts again). While it is locked nothing is counted
     * ({@link BanVerdict.Outcome#ALREADY_BLOCKED}); with {@code startLock} false {@code LIMIT_EXCEEDED}. One atomic
     * decision; the verdict's block is always empty.
     */
    BanVerdict.Outcome recordAccountFailure(
            String account, int limit, Duration window, Duration lockFor, boolean startLock);

    /** The account's lock, if one is active now. */
    Optional<AccountLock> accountLock(String account);

    /** Every active account lock, oldest first. */
    List<AccountLock> accountLocks();

    /** An operator lifts the account's lock and clears its count: true if an active lock was lifted. */
    boolean unlock(String account);

    /** A snapshot of the key's counters, read against the given limits (a GCRA count needs its rate). */
    ClientCounters counters(IpPrefix key, int maxMessagesPerHour, int maxUnknownRecipients, Duration window);

    @Override
    void close();
}
