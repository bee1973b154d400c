package io.github.smtpshield.policy.store.redis;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.AccountLock;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.BanVerdict;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.MessageSlot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The replies of the scripts, each decoded once into a record that names its parts: the layout a decoder reads is
 * the one its script's header states, and nothing else reads a reply. As Lettuce hands them over: strings, integers
 * ({@code Long}) and nested lists; times are epoch milliseconds; a block a script leaves as three {@code ''} is none.
 */
final class Replies {
    private Replies() {}

    /** A block as a client's state hash keeps it ({@code br}, {@code bs}, {@code bu}, {@code bo}). */
    record StoredBlock(String reason, long since, long until, int offences) {

        /** A first offence. */
        StoredBlock(String reason, long since, long until) {
            this(reason, since, until, 1);
        }

        Block of(IpPrefix key) {
            return new Block(key, reason, Instant.ofEpochMilli(since), Instant.ofEpochMilli(until), offences);
        }

        boolean activeAt(long now) {
            return until > now;
        }

        /**
         * reason, since, until and, when the reply goes on, offences at {@code from} in {@code reply}; empty if the
         * script left them {@code ''}.
         */
        static Optional<StoredBlock> at(List<Object> reply, int from) {
            if (reply.size() < from + 3 || "".equals(reply.get(from + 2))) {
                return Optional.empty();
            }
            long offences = reply.size() > from + 3 ? millis(reply.get(from + 3)) : 1;
            return Optional.of(new StoredBlock(
                    (String) reply.get(from), millis(reply.get(from + 1)), millis(reply.get(from + 2)), (int)
                            Math.max(1, offences)));
        }
    }

    /**
     * {@code connect.lua}: {@code {outcome, reason, since, until}}. The block is the one that refused the connection
     * ({@code BLOCKED}), or one the script found ended on the way and removed (to report), or none.
     */
    record Connect(Admission.Outcome outcome, Optional<StoredBlock> block) {
        static Connect decode(List<Object> reply) {
            return new Connect(Admission.Outcome.valueOf((String) reply.get(0)), StoredBlock.at(reply, 1));
        }
    }

    /** {@code unknown.lua}: {@code {verdict, reason, since, until}}, the block one it found ended on the way. */
    record UnknownRecipient(HarvestVerdict verdict, Optional<StoredBlock> ended) {
        static UnknownRecipient decode(List<Object> reply) {
            return new UnknownRecipient(HarvestVerdict.valueOf((String) reply.get(0)), StoredBlock.at(reply, 1));
        }
    }

    /**
     * {@code offence.lua} and {@code network.lua}: {@code {verdict, reason, since, until, until, offences}}: the block
     * found ended on the way (or three {@code ''}), then the started block's end and offence count (or two {@code ''}).
     */
    record Ban(BanVerdict.Outcome outcome, Optional<StoredBlock> ended, long until, int offences) {
        static Ban decode(List<Object> reply) {
            return new Ban(
                    BanVerdict.Outcome.valueOf((String) reply.get(0)),
                    StoredBlock.at(reply.subList(0, 4), 1),
                    millis(reply.get(4)),
                    (int) millis(reply.get(5)));
        }
    }

    /** {@code account.lua} asked for a lock: {@code {}} or {@code {since, until}}. */
    static Optional<AccountLock> lock(String account, List<Object> reply) {
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AccountLock(
                account, Instant.ofEpochMilli(millis(reply.get(0))), Instant.ofEpochMilli(millis(reply.get(1)))));
    }

    /**
     * {@code block_get.lua}: {@code {}}, or {@code {'A' | 'E', reason, since, until}}: a block, active or found ended
     * (the script removed it, so that its end is reported once, by this caller).
     */
    record FoundBlock(StoredBlock block, boolean ended) {
        static Optional<FoundBlock> decode(List<Object> reply) {
            return StoredBlock.at(reply, 1).map(block -> new FoundBlock(block, "E".equals(reply.get(0))));
        }
    }

    /** One entry of {@code blocks.lua}'s list: {@code {'A' | 'E', client key, reason, since, until}}. */
    record ListedBlock(IpPrefix key, FoundBlock found) {
        @SuppressWarnings("unchecked") // each entry is a nested array
        static List<ListedBlock> decodeAll(List<Object> reply) {
            List<ListedBlock> listed = new ArrayList<>(reply.size());
            for (Object entry : reply) {
                List<Object> fields = (List<Object>) entry;
                StoredBlock block = StoredBlock.at(fields, 2).orElseThrow();
                listed.add(new ListedBlock(
                        IpPrefix.parse((String) fields.get(1)), new FoundBlock(block, "E".equals(fields.get(0)))));
            }
            return listed;
        }
    }

    /** {@code block_set.lua} and {@code unblock.lua}: {@code {}} or the block replaced or lifted, active or not. */
    static Optional<StoredBlock> previousBlock(List<Object> reply) {
        return StoredBlock.at(reply, 0);
    }

    /**
     * {@code counters.lua}: {@code {m, u, open connections, reason, since, until}}: the two GCRA timestamps (0 when
     * absent), the leases that have not lapsed, and the stored block (which may have ended).
     */
    record Counters(long messagesDrainAt, long unknownRecipientsDrainAt, int connections, Optional<StoredBlock> block) {
        static Counters decode(List<Object> reply) {
            return new Counters(
                    millis(reply.get(0)),
                    millis(reply.get(1)),
                    Math.toIntExact((Long) reply.get(2)),
                    StoredBlock.at(reply, 3));
        }
    }

    /** {@code index_read.lua}: {@code {client key, until, client key, until, ...}}, the index as it lists blocks. */
    record IndexEntry(IpPrefix key, long until) {
        static List<IndexEntry> decodeAll(List<Object> reply) {
            List<IndexEntry> entries = new ArrayList<>(reply.size() / 2);
            for (int pair = 0; pair + 1 < reply.size(); pair += 2) {
                entries.add(new IndexEntry(IpPrefix.parse((String) reply.get(pair)), millis(reply.get(pair + 1))));
            }
            return entries;
        }
    }

    /**
     * {@code message_take.lua}: {@code {taken, drains at, past the budget}}: how many messages were taken (0 when the
     * budget is spent), the bucket's drain time after the take, and whether the one taken was past the budget.
     */
    record MessageGrant(int taken, long drainsAt, boolean overLimit) {
        static MessageGrant decode(List<Object> reply) {
            return new MessageGrant(
                    Math.toIntExact((Long) reply.get(0)), millis(reply.get(1)), (Long) reply.get(2) == 1);
        }

        /** The first of the messages taken, the one its MAIL FROM uses. */
        Optional<MessageSlot> slot() {
            return taken == 0 ? Optional.empty() : Optional.of(new MessageSlot(drainsAt, overLimit));
        }
    }

    /** {@code pass.lua}: {@code {}} or {@code {score}}. */
    static OptionalInt score(List<Object> reply) {
        return reply.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact((Long) reply.get(0)));
    }

    /** A time as a script returns it: an integer, or the string of one (a hash field, a score); {@code ''} is 0. */
    static long millis(Object value) {
        if (value instanceof Long number) {
            return number;
        }
        String text = (String) value;
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }
}
