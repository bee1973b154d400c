package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The store stays bounded and forgets by itself, but never forgets a connected client. */
class MemoryClientStoreBoundsTest {

    static final Duration HOUR = Duration.ofHours(1);

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));

    static IpPrefix client(int i) {
        return new IpPrefix(0, 0xFFFF_0000_0000L | (0x0A00_0000L + i), 128); // 10.0.0.0 + i
    }

    @Test
    void aFloodOfSourcesStaysWithinTheCap() {
        MemoryClientStore store =
                MemoryClientStore.builder().clock(clock).maxTrackedClients(1000).build();

        for (int i = 0; i < 100_000; i++) {
            store.takeMessage(client(i), 200, true);
            store.recordUnknownRecipient(client(i), 10, HOUR, HOUR, true);
        }

        assertThat(store.trackedEntries()).isLessThanOrEqualTo(1000);
    }

    @Test
    void aConnectedClientIsNeverEvicted() {
        MemoryClientStore store =
                MemoryClientStore.builder().clock(clock).maxTrackedClients(100).build();
        IpPrefix connected = IpPrefix.parse("203.0.113.5");
        assertThat(store.tryConnect(connected, 1)).isEqualTo(Admission.ADMITTED);
        store.takeMessage(connected, 200, true);

        for (int i = 0; i < 100_000; i++) {
            store.takeMessage(client(i), 200, true);
        }
        clock.advance(Duration.ofDays(365));

        assertThat(store.trackedEntries()).isEqualTo(1);
        assertThat(store.counters(connected, 0, 0, HOUR).connections()).isEqualTo(1);
        assertThat(store.tryConnect(connected, 1)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
        store.disconnect(connected);
        assertThat(store.counters(connected, 0, 0, HOUR).connections()).isZero();
        assertThat(store.trackedEntries()).isZero();
    }

    @Test
    void connectedClientsDoNotCountAgainstTheCap() {
        MemoryClientStore store =
                MemoryClientStore.builder().clock(clock).maxTrackedClients(10).build();

        for (int i = 0; i < 50; i++) {
            store.tryConnect(client(i), 1);
        }

        assertThat(store.trackedEntries()).isEqualTo(50);
        for (int i = 0; i < 50; i++) {
            assertThat(store.tryConnect(client(i), 1)).isEqualTo(Admission.TOO_MANY_CONNECTIONS);
        }
    }

    @Test
    void anEntryExpiresWhenItsLastBucketHasDrained() {
        MemoryClientStore store = MemoryClientStore.builder().clock(clock).build();
        IpPrefix client = IpPrefix.parse("203.0.113.5");
        store.takeMessage(client, 200, true); // drains in 18 s
        store.recordUnknownRecipient(client, 10, Duration.ofMinutes(10), HOUR, true); // drains in 60 s

        clock.advance(Duration.ofSeconds(59));
        assertThat(store.trackedEntries()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(store.trackedEntries()).isZero();
    }

    @Test
    void aDrainedEntryIsKeptTenSecondsAfterItsLastMessage() {
        MemoryClientStore store = MemoryClientStore.builder().clock(clock).build();
        IpPrefix client = IpPrefix.parse("203.0.113.5");
        store.takeMessage(client, 3600, true); // drains in 1 s

        clock.advance(Duration.ofSeconds(9));
        assertThat(store.trackedEntries()).isEqualTo(1);
        store.takeMessage(client, 3600, true);
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.trackedEntries()).as("kept by the second message").isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(store.trackedEntries()).isZero();
    }

    @Test
    void readingCountersDoesNotKeepAnEntryAlive() {
        MemoryClientStore store = MemoryClientStore.builder().clock(clock).build();
        IpPrefix client = IpPrefix.parse("203.0.113.5");
        store.takeMessage(client, 200, true);

        for (int second = 0; second < 27; second++) {
            store.counters(client, 200, 10, HOUR);
            if (second < 18) {
                store.takeMessage(client, 200, false).ifPresent(slot -> store.returnMessage(client, 200, slot));
            }
            clock.advance(Duration.ofSeconds(1));
        }

        // Drained at 18 s; the last take, at 17 s, kept the entry 10 s.
        assertThat(store.trackedEntries()).isZero();
    }
}
