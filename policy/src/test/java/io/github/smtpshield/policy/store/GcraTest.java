package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GcraTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 10, 200, 1999, 2000, 100_000, 3_600_000})
    void aLimitOfNAllowsABurstOfExactlyN(int limit) {
        Gcra rate = Gcra.of(limit, Duration.ofHours(1));
        long now = 1_700_000_000_000_000_000L;
        long drainAt = 0;
        int allowed = 0;
        while (rate.conforms(drainAt, now)) {
            drainAt = rate.add(drainAt, now);
            allowed++;
        }
        assertThat(allowed).isEqualTo(limit);
        assertThat(rate.count(drainAt, now)).isEqualTo(limit);
    }
}
