package io.github.smtpshield.policy.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.Admission;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.HarvestVerdict;
import io.github.smtpshield.policy.store.redis.Replies.Connect;
import io.github.smtpshield.policy.store.redis.Replies.Counters;
import io.github.smtpshield.policy.store.redis.Replies.FoundBlock;
import io.github.smtpshield.policy.store.redis.Replies.IndexEntry;
import io.github.smtpshield.policy.store.redis.Replies.ListedBlock;
import io.github.smtpshield.policy.store.redis.Replies.StoredBlock;
import io.github.smtpshield.policy.store.redis.Replies.UnknownRecipient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decoders, on replies as Lettuce hands them over: hash fields as strings, integers as Long, nested lists. */
class RepliesTest {
    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");
    static final StoredBlock HARVEST = new StoredBlock("HARVEST", 1_000, 61_000);

    @Test
    void connect() {
        assertThat(Connect.decode(List.of("ADMITTED", "", "", "")))
                .isEqualTo(new Connect(Admission.Outcome.ADMITTED, Optional.empty()));
        assertThat(Connect.decode(List.of("TOO_MANY_CONNECTIONS", "HARVEST", "1000", "61000")))
                .as("a block found ended on the way")
                .isEqualTo(new Connect(Admission.Outcome.TOO_MANY_CONNECTIONS, Optional.of(HARVEST)));
        assertThat(Connect.decode(List.of("BLOCKED", "HARVEST", "1000", "61000")))
                .isEqualTo(new Connect(Admission.Outcome.BLOCKED, Optional.of(HARVEST)));
    }

    @Test
    void unknownRecipient() {
        assertThat(UnknownRecipient.decode(List.of("BLOCK_STARTED", "", "", "")))
                .isEqualTo(new UnknownRecipient(HarvestVerdict.BLOCK_STARTED, Optional.empty()));
        assertThat(UnknownRecipient.decode(List.of("UNDER_LIMIT", "spam run", "1000", "61000")))
                .isEqualTo(new UnknownRecipient(
                        HarvestVerdict.UNDER_LIMIT, Optional.of(new StoredBlock("spam run", 1_000, 61_000))));
    }

    @Test
    void aFoundBlockIsActiveOrEndedOrNone() {
        assertThat(FoundBlock.decode(List.of())).isEmpty();
        assertThat(FoundBlock.decode(List.of("A", "HARVEST", "1000", "61000")))
                .contains(new FoundBlock(HARVEST, false));
        assertThat(FoundBlock.decode(List.of("E", "HARVEST", "1000", "61000"))).contains(new FoundBlock(HARVEST, true));
    }

    @Test
    void theListOfBlocksIsOneArrayPerBlock() {
        assertThat(ListedBlock.decodeAll(List.of(
                        List.of("A", "203.0.113.5", "HARVEST", "1000", "61000"),
                        List.of("E", "2001:db8::/64", "spam run", "5", "6"))))
                .containsExactly(
                        new ListedBlock(CLIENT, new FoundBlock(HARVEST, false)),
                        new ListedBlock(
                                IpPrefix.parse("2001:db8::/64"),
                                new FoundBlock(new StoredBlock("spam run", 5, 6), true)));
        assertThat(ListedBlock.decodeAll(List.of())).isEmpty();
    }

    @Test
    void aReplacedOrLiftedBlock() {
        assertThat(Replies.previousBlock(List.of())).isEmpty();
        assertThat(Replies.previousBlock(List.of("HARVEST", "1000", "61000"))).contains(HARVEST);
    }

    @Test
    void counters() {
        assertThat(Counters.decode(List.of("", "", 0L, "", "", "")))
                .as("a key Redis knows nothing of")
                .isEqualTo(new Counters(0, 0, 0, Optional.empty()));
        assertThat(Counters.decode(List.of("3600000", "120000", 7L, "HARVEST", "1000", "61000")))
                .isEqualTo(new Counters(3_600_000, 120_000, 7, Optional.of(HARVEST)));
    }

    @Test
    void theIndexIsPairsOfKeyAndUntil() {
        assertThat(IndexEntry.decodeAll(List.of("203.0.113.5", "61000", "2001:db8::/64", "7")))
                .containsExactly(new IndexEntry(CLIENT, 61_000), new IndexEntry(IpPrefix.parse("2001:db8::/64"), 7));
    }

    @Test
    void aStoredBlockIsActiveBeforeItsEnd() {
        assertThat(HARVEST.of(CLIENT))
                .isEqualTo(new Block(CLIENT, "HARVEST", Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(61_000)));
        assertThat(HARVEST.activeAt(60_999)).isTrue();
        assertThat(HARVEST.activeAt(61_000)).isFalse();
        assertThat(Replies.millis(42L)).isEqualTo(42);
        assertThat(Replies.millis("42")).isEqualTo(42);
        assertThat(Replies.millis("")).isZero();
    }
}
