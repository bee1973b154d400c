package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.store.redis.LoopbackRedisExtension;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bans' contract on the Redis store, and what only Redis has: every key of the bans carries a TTL. */
abstract class RedisBanStoreContract extends BanStoreContract {

    /** The Redis of the subclass. */
    abstract LoopbackRedisExtension<?> redis();

    @Override
    protected ClientStore newStore(Clock clock, BlockListener listener) {
        return redis().emptyStore().clock(clock).listener(listener).build();
    }

    @Test
    void everyKeyOfTheBansHasATtl() {
        store.recordOffence(CLIENT, ClientStore.Offence.AUTH_FAILURE, 1, WINDOW, ESCALATING, true);
        Block member = store.recordOffence(CLIENT, ClientStore.Offence.AUTH_FAILURE, 1, WINDOW, ESCALATING, true)
                .block()
                .orElseThrow();
        store.recordBlockInNetwork(NETWORK, member, 1, BanTerms.once(Block.NETWORK, HOUR), true);
        store.recordOffence(CLIENT, ClientStore.Offence.REFUSAL, 5, WINDOW, ONCE, true);
        store.recordAccountFailure("alice@example.com", 1, WINDOW, HOUR, true);
        store.recordAccountFailure("alice@example.com", 1, WINDOW, HOUR, true);
        store.recordAccountFailure("bob@example.com", 5, WINDOW, HOUR, true);

        Map<String, Long> ttls = redis().redis().keyTtls();
        assertThat(ttls).as("state, members, accounts, indexes").hasSizeGreaterThanOrEqualTo(6);
        ttls.forEach((key, ttl) -> assertThat(ttl).as(key).isPositive());
    }
}
