package io.github.smtpshield.policy.rules;

import static io.github.smtpshield.policy.rules.RecordingMetrics.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics.Outcome;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest {
    static final Duration HOUR = Duration.ofHours(1);

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MemoryClientStore memory = MemoryClientStore.builder().build();
    private final AtomicBoolean blockAfterNextConnect = new AtomicBoolean();
    /** The memory store, in which an operator blocks the key right after the next connect decision returns. */
    private final ClientStore store = (ClientStore) Proxy.newProxyInstance(
            ClientStore.class.getClassLoader(), new Class<?>[] {ClientStore.class}, (proxy, method, args) -> {
                Object answer;
                try {
                    answer = method.invoke(memory, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (method.getName().equals("tryConnect") && blockAfterNextConnect.getAndSet(false)) {
                    memory.block((IpPrefix) args[0], "an operator's", HOUR);
                }
                return answer;
            });

    @AfterEach
    void closeStore() {
        memory.close();
    }

    private Shield shield(Limit limit) {
        return new Shield(
                ShieldConfig.defaults().with(ConnectionLimit.ELEMENT, limit),
                store,
                new Enforcement(new SecurityLog(), metrics));
    }

    int connections(ClientConnection client) {
        return memory.counters(client.key(), 0, 0, HOUR).connections();
    }

    @Test
    void allowsTheLimitAndRefusesTheConnectionAfterIt() {
        Shield shield = shield(new Limit(2, Mode.ENFORCE));
        ClientConnection first = Clients.client("192.0.2.10");

        assertThat(on(shield, first, SmtpEvent.CONNECT)).isEmpty();
        assertThat(on(shield, Clients.client("192.0.2.10"), SmtpEvent.CONNECT)).isEmpty();
        ClientConnection third = Clients.client("192.0.2.10");
        assertThat(on(shield, third, SmtpEvent.CONNECT)).contains(ConnectionLimit.TOO_MANY_CONNECTIONS);

        shield.note(third, SmtpEvent.DISCONNECT);
        assertThat(connections(first)).as("the refused one held no slot").isEqualTo(2);
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(ConnectionLimit.ELEMENT.name(), Outcome.REJECTED));
    }

    @Test
    void inObserveModeTheConnectionOverTheLimitGoesOnAndCounts() {
        Shield shield = shield(new Limit(1, Mode.OBSERVE));
        ClientConnection first = Clients.client("192.0.2.10");
        ClientConnection second = Clients.client("192.0.2.10");

        assertThat(on(shield, first, SmtpEvent.CONNECT)).isEmpty();
        assertThat(on(shield, second, SmtpEvent.CONNECT)).isEmpty();

        assertThat(connections(first)).isEqualTo(2);
        shield.note(second, SmtpEvent.DISCONNECT);
        shield.note(first, SmtpEvent.DISCONNECT);
        assertThat(connections(first)).isZero();
        assertThat(metrics.counts())
                .containsExactly(new RecordingMetrics.Count(ConnectionLimit.ELEMENT.name(), Outcome.OBSERVED));
    }

    /**
     * Observe mode used to ask the store twice (over the limit? then count it anyway); a block
     * starting between the two made the second answer BLOCKED without counting, yet the connection held a slot, and
     * its close released the slot of another connection.
     */
    @Test
    void inObserveModeABlockStartingDuringTheDecisionNeverReleasesAnotherConnectionsSlot() {
        Shield shield = shield(new Limit(1, Mode.OBSERVE));
        ClientConnection first = Clients.client("192.0.2.10");
        ClientConnection second = Clients.client("192.0.2.10");
        assertThat(on(shield, first, SmtpEvent.CONNECT)).isEmpty();

        blockAfterNextConnect.set(true);
        assertThat(on(shield, second, SmtpEvent.CONNECT))
                .as("observe mode: it goes on")
                .isEmpty();
        shield.note(second, SmtpEvent.DISCONNECT);

        assertThat(connections(first)).as("the first connection still counts").isEqualTo(1);
        shield.note(first, SmtpEvent.DISCONNECT);
        assertThat(connections(first)).isZero();
    }

    @Test
    void aBlockedClientIsRefusedWhateverTheMode() {
        Shield shield = shield(new Limit(1, Mode.OBSERVE));
        ClientConnection client = Clients.client("192.0.2.10");
        memory.block(client.key(), "an operator's", HOUR);

        assertThat(on(shield, client, SmtpEvent.CONNECT)).contains(UnknownRecipientLimit.BLOCKED);
        shield.note(client, SmtpEvent.DISCONNECT);

        assertThat(connections(client)).isZero();
    }
}
