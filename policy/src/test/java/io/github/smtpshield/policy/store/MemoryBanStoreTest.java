package io.github.smtpshield.policy.store;

import java.time.Clock;

/** The bans' contract on the memory store. */
class MemoryBanStoreTest extends BanStoreContract {
    @Override
    protected ClientStore newStore(Clock clock, BlockListener listener) {
        return MemoryClientStore.builder().clock(clock).listener(listener).build();
    }
}
