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
    void aScreeningPassIsForgottenAfterItsTtl() {
        IpPrefix address = IpPrefix.parse("203.0.113.9");
        store.rememberScreeningPass(address, 0, Duration.ofMinutes(10));

        clock.advance(Duration.ofMinutes(9));
        assertThat(store.screeningPass(address)).hasValue(0);
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.screeningPass(address)).isEmpty();
    }
}
