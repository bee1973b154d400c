package io.github.smtpshield.policy.store;

import java.time.Clock;

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
}
