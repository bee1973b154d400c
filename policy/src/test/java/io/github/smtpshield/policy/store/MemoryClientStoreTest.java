package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@link ClientStore} contract on the memory store. */
class MemoryClientStoreTest extends ClientStoreContract {

    @Override
    ClientStore newStore(Clock clock, BlockListener listener) {
        return MemoryClientStore.builder().clock(clock).listener(listener).build();
    }

    @Override
    long trackedEntries() {
        return ((MemoryClientStore) store).trackedEntries();
    }

    @Test
    void aTakeFromATrackedClientKeepsItsEntryAsLongAsTheBucketHoldsIt() {
        IpPrefix client = IpPrefix.parse("203.0.113.7");
        assertThat(store.takeMessage(client, 2, false))
                .as("the entry is made: it drains in 30 min")
                .isPresent();
        assertThat(store.takeMessage(client, 2, false))
                .as("taken without the key's lock: in 60")
                .isPresent();

        clock.advance(Duration.ofMinutes(45));
        assertThat(trackedEntries()).as("one message still in the bucket").isEqualTo(1);
        assertThat(store.counters(client, 2, 0, Duration.ofHours(1)).messages()).isEqualTo(1);
        assertThat(store.takeMessage(client, 2, false)).isPresent();
        assertThat(store.takeMessage(client, 2, false))
                .as("the budget is spent")
                .isEmpty();
        clock.advance(Duration.ofMinutes(46));
        assertThat(trackedEntries()).as("drained").isZero();
    }

    @Test
    void aScreeningPassIsForgottenAfterItsTtl() {
        IpPrefix address = IpPrefix.parse("203.0.113.9");
        store.rememberScreeningPass(address, 0, Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(9));
        assertThat(store.screeningPass(address)).hasValue(0);
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.screeningPass(address)).isEmpty();
    }
}
