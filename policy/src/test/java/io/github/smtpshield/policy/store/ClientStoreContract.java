package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The semantics every {@link ClientStore} keeps (its Javadoc), as tests: one subclass per implementation
 * ({@code MemoryClientStoreTest} here, the Redis store's in its module) runs them all against its store.
 */
abstract class ClientStoreContract {

    static final IpPrefix CLIENT = IpPrefix.parse("203.0.113.5");
    static final IpPrefix OTHER = IpPrefix.parse("203.0.113.6");
    static final Duration HOUR = Duration.ofHours(1);
    /** A budget of 200 messages per hour drains by one every 18 s. */
    static final Duration PER_MESSAGE = Duration.ofSeconds(18);

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:59:50Z"));
    final RecordingListener listener = new RecordingListener();
    ClientStore store;

    /** A new, empty store on the given clock, reporting to the given listener. */
    abstract ClientStore newStore(Clock clock, BlockListener listener);

    /** Entries the store still holds, after pending expiries ran: 0 once nothing is left to remember. */
    abstract long trackedEntries();

    @BeforeEach
    void openStore() {
        store = newStore(clock, listener);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    int connections(IpPrefix key) {
        return store.counters(key, 0, 0, HOUR).connections();
    }

    @Nested
    class ConcurrentConnections {

        @Test
        void aLimitOfNAllowsNAndRefusesTheNextOne() {
            for (int i = 0; i < 10; i++) {
                assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
            }
            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
            assertThat(connections(CLIENT)).as("the refused one is not counted").isEqualTo(10);
            assertThat(store.tryConnect(OTHER, 10)).as("another client").isEqualTo(Admission.ADMITTED);
        }

        @Test
        void aDisconnectFreesASlot() {
            store.tryConnect(CLIENT, 1);
            assertThat(store.tryConnect(CLIENT, 1)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);

            store.disconnect(CLIENT);

            assertThat(store.tryConnect(CLIENT, 1)).isEqualTo(Admission.ADMITTED);
        }

        @Test
        void countsReturnToZeroAndTheKeyIsForgotten() {
            for (int i = 0; i < 5; i++) {
                store.tryConnect(CLIENT, 10);
            }
            for (int i = 0; i < 5; i++) {
                store.disconnect(CLIENT);
            }

            assertThat(connections(CLIENT)).isZero();
            assertThat(trackedEntries()).as("nothing left to remember").isZero();
        }

        @Test
        void aDisconnectTooManyNeverGoesBelowZero() {
            store.tryConnect(CLIENT, 10);
            store.takeMessage(CLIENT, 200, true);
            store.disconnect(CLIENT);
            store.disconnect(CLIENT);
            store.disconnect(OTHER);

            assertThat(connections(CLIENT)).isZero();
            assertThat(store.tryConnect(CLIENT, 1)).isEqualTo(Admission.ADMITTED);
            assertThat(store.tryConnect(CLIENT, 1)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
        }

        @Test
        void withTheLimitOffEveryConnectionIsAdmittedAndCounted() {
            for (int i = 0; i < 1000; i++) {
                assertThat(store.tryConnect(CLIENT, 0)).isEqualTo(Admission.ADMITTED);
            }
            assertThat(connections(CLIENT)).isEqualTo(1000);
            assertThat(store.tryConnect(CLIENT, 1000))
                    .as("turned on mid-flight")
                    .isEqualTo(Admission.TOO_MANY_CONNECTIONS);
        }

        @Test
        void countingOverTheLimitCountsTheConnectionAndSaysItIsOver() {
            assertThat(store.tryConnect(CLIENT, 1, true)).isEqualTo(Admission.ADMITTED);
            assertThat(store.tryConnect(CLIENT, 1, true)).isEqualTo(Admission.COUNTED_OVER_LIMIT);
            assertThat(store.tryConnect(CLIENT, 1, true)).isEqualTo(Admission.COUNTED_OVER_LIMIT);
            assertThat(connections(CLIENT)).isEqualTo(3);
            assertThat(store.tryConnect(CLIENT, 1, false)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
            assertThat(store.tryConnect(CLIENT, 0, true)).as("limit off").isEqualTo(Admission.ADMITTED);

            for (int i = 0; i < 4; i++) {
                store.disconnect(CLIENT);
            }
            assertThat(connections(CLIENT)).isZero();
            assertThat(trackedEntries()).isZero();
        }

        @Test
        void aBlockedKeyIsNeverCountedEvenWhenTheCallerCountsOverTheLimit() {
            store.tryConnect(CLIENT, 1, true);
            Block block = store.block(CLIENT, "spam run", HOUR).block();

            assertThat(store.tryConnect(CLIENT, 1, true)).isEqualTo(Admission.blocked(block));
            assertThat(store.tryConnect(CLIENT, 0, true)).isEqualTo(Admission.blocked(block));
            assertThat(connections(CLIENT)).as("only the one before the block").isEqualTo(1);
        }
    }

    @Nested
    class HourlyMessageBudget {

        void send(IpPrefix key, int messages) {
            for (int i = 0; i < messages; i++) {
                assertThat(store.takeMessage(key, 200, false))
                        .as("message %d", i + 1)
                        .isPresent();
            }
        }

        boolean fits(IpPrefix key) {
            Optional<MessageSlot> slot = store.takeMessage(key, 200, false);
            slot.ifPresent(taken -> store.returnMessage(key, 200, taken));
            return slot.isPresent();
        }

        @Test
        void aQuietClientBurstsItsWholeBudgetThenIsRefused() {
            send(CLIENT, 200);

            assertThat(store.takeMessage(CLIENT, 200, false)).as("the 201st").isEmpty();
            assertThat(store.takeMessage(OTHER, 200, false)).isPresent();
        }

        @Test
        void aRefusedTakeCountsNothing() {
            send(CLIENT, 200);
            for (int i = 0; i < 1000; i++) {
                assertThat(store.takeMessage(CLIENT, 200, false)).isEmpty();
            }

            clock.advance(PER_MESSAGE);
            send(CLIENT, 1);
            assertThat(store.takeMessage(CLIENT, 200, false)).isEmpty();
        }

        @Test
        void aSlotGivenBackAtOnceIsTheWholeMessage() {
            send(CLIENT, 199);
            MessageSlot last = store.takeMessage(CLIENT, 200, false).orElseThrow();
            assertThat(store.takeMessage(CLIENT, 200, false)).isEmpty();

            store.returnMessage(CLIENT, 200, last);

            assertThat(store.counters(CLIENT, 200, 0, HOUR).messagesLeft()).isEqualTo(1);
            send(CLIENT, 1);
            assertThat(store.takeMessage(CLIENT, 200, false)).isEmpty();
        }

        @Test
        void aSlotGivesBackOnlyWhatHasNotDrainedSinceItWasTaken() {
            MessageSlot early = store.takeMessage(CLIENT, 200, false).orElseThrow();
            clock.advance(PER_MESSAGE.plusSeconds(1)); // the one message has drained
            send(CLIENT, 200);

            store.returnMessage(CLIENT, 200, early);

            assertThat(store.takeMessage(CLIENT, 200, false))
                    .as("a drained slot gives nothing back")
                    .isEmpty();
            MessageSlot half = store.takeMessage(OTHER, 200, false).orElseThrow();
            send(OTHER, 199);
            clock.advance(PER_MESSAGE.dividedBy(2));
            store.returnMessage(OTHER, 200, half);
            assertThat(store.counters(OTHER, 200, 0, HOUR).messagesLeft())
                    .as("half of it had drained: half a message back, plus the half drained")
                    .isEqualTo(1);
        }

        @Test
        void nothingGivenBackOnAnEmptyBucketOrTwice() {
            MessageSlot slot = store.takeMessage(CLIENT, 200, false).orElseThrow();
            store.returnMessage(CLIENT, 200, slot);
            store.returnMessage(CLIENT, 200, slot);

            assertThat(store.counters(CLIENT, 200, 0, HOUR).messages()).isZero();
            assertThat(trackedEntries()).as("nothing left to remember").isZero();
            send(CLIENT, 200);
            assertThat(store.takeMessage(CLIENT, 200, false)).isEmpty();
        }

        @Test
        void theBudgetRefillsContinuouslyNotAtTheTopOfTheHour() {
            send(CLIENT, 200); // 10:59:50

            clock.advance(Duration.ofSeconds(17)); // 11:00:07, past the clock hour
            assertThat(fits(CLIENT)).isFalse();

            clock.advance(Duration.ofSeconds(1)); // 18 s = 1 h / 200 after the burst
            send(CLIENT, 1);
            assertThat(fits(CLIENT)).isFalse();

            clock.advance(PER_MESSAGE.multipliedBy(10));
            send(CLIENT, 10);
            assertThat(fits(CLIENT)).isFalse();

            clock.advance(HOUR);
            send(CLIENT, 200);
            assertThat(fits(CLIENT)).isFalse();
        }

        @Test
        void countersShowTheSlidingCount() {
            send(CLIENT, 150);
            clock.advance(PER_MESSAGE.multipliedBy(50));

            ClientCounters counters = store.counters(CLIENT, 200, 0, HOUR);

            assertThat(counters.messages()).isEqualTo(100);
            assertThat(counters.messagesLeft()).isEqualTo(100);
            assertThat(store.counters(CLIENT, 0, 0, HOUR).messagesLeft())
                    .as("limit off")
                    .isEqualTo(-1);
        }

        @Test
        void anObservingRuleTakesPastTheBudgetAndItCounts() {
            send(CLIENT, 200);
            MessageSlot over = store.takeMessage(CLIENT, 200, true).orElseThrow();
            assertThat(over.overLimit()).isTrue();

            clock.advance(Duration.ofSeconds(18));
            assertThat(fits(CLIENT)).isFalse();
            clock.advance(Duration.ofSeconds(18));
            assertThat(fits(CLIENT)).isTrue();
        }

        @Test
        void withTheLimitOffNothingIsCountedOrRefused() {
            for (int i = 0; i < 1000; i++) {
                MessageSlot slot = store.takeMessage(CLIENT, 0, false).orElseThrow();
                assertThat(slot).isEqualTo(MessageSlot.UNCOUNTED);
                store.returnMessage(CLIENT, 0, slot);
            }
            assertThat(trackedEntries()).isZero();
        }
    }

    @Nested
    class DirectoryHarvest {

        final Duration blockFor = Duration.ofMinutes(30);

        HarvestVerdict unknown(IpPrefix key) {
            return store.recordUnknownRecipient(key, 10, HOUR, blockFor, true);
        }

        @Test
        void theUnknownRecipientThatExceedsTheLimitStartsTheBlock() {
            for (int connection = 0; connection < 5; connection++) {
                store.tryConnect(CLIENT, 10);
                assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
                assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
                store.disconnect(CLIENT);
            }
            assertThat(store.counters(CLIENT, 0, 10, HOUR).unknownRecipients()).isEqualTo(10);

            store.tryConnect(CLIENT, 10);
            assertThat(unknown(CLIENT)).as("the 11th").isEqualTo(HarvestVerdict.BLOCK_STARTED);
            assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.ALREADY_BLOCKED);
            store.disconnect(CLIENT);

            Block block = store.activeBlock(CLIENT).orElseThrow();
            assertThat(block.reason()).isEqualTo(Block.HARVEST);
            assertThat(block.since()).isEqualTo(clock.instant());
            assertThat(block.until()).isEqualTo(clock.instant().plus(blockFor));
            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.blocked(block));
            assertThat(store.tryConnect(OTHER, 10)).isEqualTo(Admission.ADMITTED);
            assertThat(unknown(OTHER)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
            assertThat(connections(CLIENT))
                    .as("blocked connections are not counted")
                    .isZero();
            assertThat(listener.events).containsExactly("started 203.0.113.5");
        }

        @Test
        void withoutStartBlockTheOneOverTheLimitIsReportedAndNothingIsBlocked() {
            for (int i = 0; i < 10; i++) {
                assertThat(store.recordUnknownRecipient(CLIENT, 10, HOUR, blockFor, false))
                        .isEqualTo(HarvestVerdict.UNDER_LIMIT);
            }

            assertThat(store.recordUnknownRecipient(CLIENT, 10, HOUR, blockFor, false))
                    .isEqualTo(HarvestVerdict.LIMIT_EXCEEDED);

            assertThat(store.activeBlock(CLIENT)).isEmpty();
            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
            assertThat(listener.events).isEmpty();
            assertThat(store.recordUnknownRecipient(CLIENT, 10, HOUR, blockFor, false))
                    .as("counting starts again")
                    .isEqualTo(HarvestVerdict.UNDER_LIMIT);
        }

        @Test
        void theBlockEndsByItself() {
            for (int i = 0; i < 11; i++) {
                unknown(CLIENT);
            }
            clock.advance(blockFor.minusSeconds(1));
            assertThat(store.tryConnect(CLIENT, 10).outcome()).isEqualTo(Admission.Outcome.BLOCKED);

            clock.advance(Duration.ofSeconds(1));

            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
            assertThat(store.activeBlock(CLIENT)).isEmpty();
            assertThat(store.blocks()).isEmpty();
            assertThat(listener.events).containsExactly("started 203.0.113.5", "expired 203.0.113.5");
        }

        @Test
        void theCountStartsAgainAfterTheBlock() {
            for (int i = 0; i < 11; i++) {
                unknown(CLIENT);
            }
            clock.advance(blockFor);

            for (int i = 0; i < 10; i++) {
                assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
            }
            assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.BLOCK_STARTED);
        }

        @Test
        void theCountDrainsOneEveryWindowOverLimit() {
            for (int i = 0; i < 10; i++) {
                unknown(CLIENT);
            }
            clock.advance(Duration.ofMinutes(6)); // 1 h / 10

            assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
            assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.BLOCK_STARTED);
        }

        @Test
        void anOperatorLiftsTheBlockAndClearsTheCount() {
            for (int i = 0; i < 11; i++) {
                unknown(CLIENT);
            }

            assertThat(store.unblock(CLIENT)).isTrue();

            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
            assertThat(store.unblock(CLIENT)).as("nothing left to lift").isFalse();
            for (int i = 0; i < 10; i++) {
                assertThat(unknown(CLIENT)).isEqualTo(HarvestVerdict.UNDER_LIMIT);
            }
            assertThat(listener.events).containsExactly("started 203.0.113.5", "lifted 203.0.113.5");
        }

        @Test
        void withTheLimitOffNothingIsCounted() {
            for (int i = 0; i < 100; i++) {
                assertThat(store.recordUnknownRecipient(CLIENT, 0, HOUR, blockFor, true))
                        .isEqualTo(HarvestVerdict.UNDER_LIMIT);
            }
            assertThat(store.activeBlock(CLIENT)).isEmpty();
        }
    }

    @Nested
    class ManualBlocks {

        @Test
        void anOperatorBlocksAKey() {
            Block block = store.block(CLIENT, "spam run", Duration.ofDays(1)).block();

            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.blocked(block));
            assertThat(store.blocks()).containsExactly(block);
            assertThat(store.counters(CLIENT, 200, 10, HOUR).block()).contains(block);
            assertThat(store.recordUnknownRecipient(CLIENT, 10, HOUR, HOUR, true))
                    .isEqualTo(HarvestVerdict.ALREADY_BLOCKED);

            clock.advance(Duration.ofDays(1));

            assertThat(store.blocks()).isEmpty();
            assertThat(store.tryConnect(CLIENT, 10)).isEqualTo(Admission.ADMITTED);
            assertThat(listener.events).containsExactly("started 203.0.113.5", "expired 203.0.113.5");
        }

        @Test
        void blocksAreListedOldestFirst() {
            Block first = store.block(OTHER, "first", HOUR).block();
            clock.advance(Duration.ofMinutes(1));
            Block second = store.block(CLIENT, "second", HOUR).block();

            assertThat(store.blocks()).containsExactly(first, second);
        }

        @Test
        void aNewBlockReplacesTheOld() {
            store.block(CLIENT, "short", Duration.ofMinutes(1));
            Block longer = store.block(CLIENT, "longer", Duration.ofDays(7)).block();

            assertThat(store.activeBlock(CLIENT)).contains(longer);
        }

        @Test
        void blockingSaysWhetherItReplacedAnActiveBlock() {
            BlockChange first = store.block(CLIENT, "first", HOUR);
            BlockChange second = store.block(CLIENT, "second", HOUR);

            assertThat(first.replaced()).isFalse();
            assertThat(second.replaced()).isTrue();
            assertThat(store.activeBlock(CLIENT)).contains(second.block());
            BlockChange other = store.block(OTHER, "another key", Duration.ofDays(1));
            assertThat(other.replaced()).isFalse();

            clock.advance(HOUR);
            BlockChange third = store.block(CLIENT, "third", HOUR);

            assertThat(third.replaced()).as("the one before had ended").isFalse();
            assertThat(store.blocks())
                    .containsExactlyInAnyOrder(
                            third.block(), store.activeBlock(OTHER).orElseThrow());
            assertThat(listener.events)
                    .as("the end of the one it found ended is reported, once")
                    .containsExactly(
                            "started 203.0.113.5",
                            "started 203.0.113.5",
                            "started 203.0.113.6",
                            "expired 203.0.113.5",
                            "started 203.0.113.5");
        }

        @Test
        void anOperatorsBlockReplacesAHarvestBlock() {
            for (int i = 0; i < 11; i++) {
                store.recordUnknownRecipient(CLIENT, 10, HOUR, HOUR, true);
            }

            BlockChange change = store.block(CLIENT, "by hand", Duration.ofDays(1));

            assertThat(change.replaced()).isTrue();
            assertThat(store.activeBlock(CLIENT)).contains(change.block());
        }

        @Test
        void aBlockMustLast() {
            assertThatThrownBy(() -> store.block(CLIENT, "never", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ScreeningPassCache {

        @Test
        void aPassIsRememberedWithItsScoreForItsAddressOnly() {
            IpPrefix address = IpPrefix.parse("203.0.113.9");
            assertThat(store.screeningPass(address)).isEmpty();

            store.rememberScreeningPass(address, -3, HOUR);

            assertThat(store.screeningPass(address)).hasValue(-3);
            assertThat(store.screeningPass(IpPrefix.parse("203.0.113.10"))).isEmpty();
            store.rememberScreeningPass(address, 1, HOUR);
            assertThat(store.screeningPass(address)).as("the last pass").hasValue(1);
        }
    }
}
