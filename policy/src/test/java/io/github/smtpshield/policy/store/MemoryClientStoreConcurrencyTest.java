package io.github.smtpshield.policy.store;

import java.time.Clock;

/** The concurrency contract on the memory store. */
class MemoryClientStoreConcurrencyTest extends ClientStoreConcurrencyContract {

    @Override
    ClientStore newStore(Clock clock) {
        return MemoryClientStore.builder().clock(clock).build();
    }

    @Override
    long trackedEntries() {
        return ((MemoryClientStore) store).trackedEntries();
    }

    @Override
    int operations() {
        return 50_000;
    }
}
