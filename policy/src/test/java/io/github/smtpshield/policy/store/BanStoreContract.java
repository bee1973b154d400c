package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.BanVerdict.Outcome;
import io.github.smtpshield.policy.store.ClientStore.Offence;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bans' semantics of {@link ClientStore} (password guessing, repeat offenders, escalation, networks, account
 * locks), as tests: one subclass per store ({@code MemoryBanStoreTest} here, the Redis store's in its module).
 */
public abstract class BanStoreContract {

    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");
    static final IpPrefix NETWORK = IpPrefix.parse("203.0.113.0/24");
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final Duration HOUR = Duration.ofHours(1);
    static final BanTerms ONCE = BanTerms.once(Block.AUTH, HOUR);
    /** Doubles, at most 4h, remembered for a day. */
    static final BanTerms ESCALATING = new BanTerms(Block.AUTH, HOUR, 2, Duration.ofHours(4), Duration.ofDays(1));

    protected final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));
    protected final RecordingListener listener = new RecordingListener();
    protected ClientStore store;

    /** A new, empty store on the given clock, reporting to the given listener. */
    protected abstract ClientStore newStore(Clock clock, BlockListener listener);

    @BeforeEach
    void openStore() {
        store = newStore(clock, listener);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private BanVerdict fail(IpPrefix key, int limit, BanTerms terms) {
        return store.recordOffence(key, Offence.AUTH_FAILURE, limit, WINDOW, terms, true);
    }

    @Test
    void aLimitOfNAllowsNFailuresAndTheNextOneBlocksTheKey() {
        for (int i = 0; i < 3; i++) {
            assertThat(fail(CLIENT, 3, ONCE)).isEqualTo(BanVerdict.UNDER_LIMIT);
        }
        BanVerdict verdict = fail(CLIENT, 3, ONCE);

        assertThat(verdict.outcome()).isEqualTo(Outcome.BLOCK_STARTED);
        Block block = verdict.block().orElseThrow();
        assertThat(block.reason()).isEqualTo(Block.AUTH);
        assertThat(block.length()).isEqualTo(HOUR);
        assertThat(block.offences()).isEqualTo(1);
        assertThat(store.activeBlock(CLIENT)).hasValue(block);
        assertThat(store.tryConnect(CLIENT, 0).outcome()).isEqualTo(Admission.Outcome.BLOCKED);
        assertThat(fail(CLIENT, 3, ONCE)).as("nothing counted while blocked").isEqualTo(BanVerdict.ALREADY_BLOCKED);
        assertThat(listener.events).containsExactly("started " + CLIENT);
    }

    @Test
    void theTwoCountsAreApart() {
        for (int i = 0; i < 3; i++) {
            fail(CLIENT, 3, ONCE);
        }
        assertThat(store.recordOffence(CLIENT, Offence.REFUSAL, 3, WINDOW, ONCE, true))
                .as("a refusal is not a failed authentication")
                .isEqualTo(BanVerdict.UNDER_LIMIT);
    }

    @Test
    void theCountDrainsWithinTheWindow() {
        for (int i = 0; i < 3; i++) {
            fail(CLIENT, 3, ONCE);
        }
        clock.advance(WINDOW.dividedBy(3));

        assertThat(fail(CLIENT, 3, ONCE)).as("one drained").isEqualTo(BanVerdict.UNDER_LIMIT);
        assertThat(fail(CLIENT, 3, ONCE).outcome()).isEqualTo(Outcome.BLOCK_STARTED);
    }

    @Test
    void observeModeCountsButNeverBlocks() {
        for (int i = 0; i < 2; i++) {
            store.recordOffence(CLIENT, Offence.REFUSAL, 2, WINDOW, ONCE, false);
        }
        assertThat(store.recordOffence(CLIENT, Offence.REFUSAL, 2, WINDOW, ONCE, false))
                .isEqualTo(BanVerdict.LIMIT_EXCEEDED);
        assertThat(store.activeBlock(CLIENT)).isEmpty();
        assertThat(listener.events).isEmpty();
    }

    @Test
    void aRepeatOffenderIsBlockedLongerEachTimeUpToTheCapAndEveryBlockEnds() {
        Duration[] lengths = new Duration[4];
        for (int round = 0; round < 4; round++) {
            fail(CLIENT, 1, ESCALATING);
            Block block = fail(CLIENT, 1, ESCALATING).block().orElseThrow();
            lengths[round] = block.length();
            assertThat(block.offences()).isEqualTo(round + 1);
            clock.advance(block.length());
            assertThat(store.activeBlock(CLIENT)).as("it ended").isEmpty();
        }
        assertThat(lengths).containsExactly(HOUR, Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(4));
    }

    @Test
    void escalationForgetsABlockOlderThanItsMemory() {
        fail(CLIENT, 1, ESCALATING);
        fail(CLIENT, 1, ESCALATING);
        clock.advance(Duration.ofDays(1).plusMinutes(1));

        fail(CLIENT, 1, ESCALATING);
        Block block = fail(CLIENT, 1, ESCALATING).block().orElseThrow();
        assertThat(block.length()).isEqualTo(HOUR);
        assertThat(block.offences()).isEqualTo(1);
    }

    @Test
    void withoutEscalationEveryBlockLastsBlockFor() {
        fail(CLIENT, 1, ONCE);
        clock.advance(fail(CLIENT, 1, ONCE).block().orElseThrow().length());
        fail(CLIENT, 1, ONCE);
        Block second = fail(CLIENT, 1, ONCE).block().orElseThrow();
        assertThat(second.length()).isEqualTo(HOUR);
        assertThat(second.offences()).isEqualTo(1);
    }

    @Test
    void aNetworkIsBlockedWhenEnoughOfItsKeysAreBlockedAtOnce() {
        BanTerms network = BanTerms.once(Block.NETWORK, HOUR);
        for (int host = 1; host <= 2; host++) {
            Block member = blockHost(host);
            assertThat(store.recordBlockInNetwork(NETWORK, member, 3, network, true))
                    .isEqualTo(BanVerdict.UNDER_LIMIT);
        }
        BanVerdict verdict = store.recordBlockInNetwork(NETWORK, blockHost(3), 3, network, true);

        assertThat(verdict.outcome()).isEqualTo(Outcome.BLOCK_STARTED);
        assertThat(verdict.block().orElseThrow().key()).isEqualTo(NETWORK);
        assertThat(store.activeBlock(NETWORK).orElseThrow().reason()).isEqualTo(Block.NETWORK);
        assertThat(store.blocks()).extracting(Block::key).contains(NETWORK);
        assertThat(store.recordBlockInNetwork(NETWORK, blockHost(4), 3, network, true))
                .isEqualTo(BanVerdict.ALREADY_BLOCKED);

        assertThat(store.unblock(NETWORK)).as("lifted like any block").isTrue();
        assertThat(store.activeBlock(NETWORK)).isEmpty();
    }

    @Test
    void keysWhoseBlocksEndedDoNotCountForTheirNetwork() {
        BanTerms network = BanTerms.once(Block.NETWORK, HOUR);
        store.recordBlockInNetwork(NETWORK, blockHost(1), 2, network, true);
        clock.advance(HOUR.plusSeconds(1));

        assertThat(store.recordBlockInNetwork(NETWORK, blockHost(2), 2, network, true))
                .isEqualTo(BanVerdict.UNDER_LIMIT);
        assertThat(store.recordBlockInNetwork(NETWORK, blockHost(3), 2, network, false))
                .as("observe mode")
                .isEqualTo(BanVerdict.LIMIT_EXCEEDED);
        assertThat(store.activeBlock(NETWORK)).isEmpty();
    }

    private Block blockHost(int host) {
        IpPrefix key = IpPrefix.parse("203.0.113." + host);
        fail(key, 1, ONCE);
        return fail(key, 1, ONCE).block().orElseThrow();
    }

    @Test
    void anAccountIsLockedOverItsLimitForLockForAndCanBeUnlocked() {
        for (int i = 0; i < 2; i++) {
            assertThat(store.recordAccountFailure("alice@example.com", 2, WINDOW, HOUR, true))
                    .isEqualTo(Outcome.UNDER_LIMIT);
        }
        assertThat(store.recordAccountFailure("alice@example.com", 2, WINDOW, HOUR, true))
                .isEqualTo(Outcome.BLOCK_STARTED);
        AccountLock lock = store.accountLock("alice@example.com").orElseThrow();
        assertThat(lock.until()).isEqualTo(clock.instant().plus(HOUR));
        assertThat(store.accountLocks()).containsExactly(lock);
        assertThat(store.accountLock("bob@example.com")).isEmpty();
        assertThat(store.recordAccountFailure("alice@example.com", 2, WINDOW, HOUR, true))
                .isEqualTo(Outcome.ALREADY_BLOCKED);

        assertThat(store.unlock("alice@example.com")).isTrue();
        assertThat(store.accountLock("alice@example.com")).isEmpty();
        assertThat(store.accountLocks()).isEmpty();
        assertThat(store.unlock("alice@example.com")).as("nothing left to lift").isFalse();
        assertThat(store.recordAccountFailure("alice@example.com", 2, WINDOW, HOUR, true))
                .as("a fresh count")
                .isEqualTo(Outcome.UNDER_LIMIT);
    }

    @Test
    void anAccountLockEndsByItself() {
        store.recordAccountFailure("alice@example.com", 1, WINDOW, HOUR, true);
        store.recordAccountFailure("alice@example.com", 1, WINDOW, HOUR, true);
        assertThat(store.accountLock("alice@example.com")).isPresent();

        clock.advance(HOUR);
        assertThat(store.accountLock("alice@example.com")).isEmpty();
        assertThat(store.accountLocks()).isEmpty();
    }

    @Test
    void observeModeNeverLocksAnAccount() {
        store.recordAccountFailure("alice@example.com", 1, WINDOW, HOUR, false);
        assertThat(store.recordAccountFailure("alice@example.com", 1, WINDOW, HOUR, false))
                .isEqualTo(Outcome.LIMIT_EXCEEDED);
        assertThat(store.accountLock("alice@example.com")).isEmpty();
    }
}
