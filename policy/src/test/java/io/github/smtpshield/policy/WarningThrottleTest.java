package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarningThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final WarningThrottle throttle = new WarningThrottle(Duration.ofMinutes(1), now::get);

    @Test
    void theFirstOccurrenceIsLoggedAtOnceThenOneLineAMinuteCoveringWhatItHeldBack() {
        assertThat(throttle.record()).as("the first").isEqualTo(1);
        for (int i = 0; i < 99; i++) {
            assertThat(throttle.record()).isZero();
        }

        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(throttle.record()).as("59 s later").isZero();

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(throttle.record())
                .as("a minute later: the 100 held back and this one")
                .isEqualTo(101);
        assertThat(throttle.record()).isZero();
    }

    @Test
    void aQuietSpellDoesNotSaveUpLines() {
        throttle.record();
        now.addAndGet(Duration.ofHours(1).toNanos());

        assertThat(throttle.record()).isEqualTo(1);
        assertThat(throttle.record()).as("one line, not sixty").isZero();
    }

    @Test
    void theClockWrappingAroundDoesNotStopTheLines() {
        AtomicLong wrapping = new AtomicLong(Long.MAX_VALUE - 10);
        WarningThrottle nearTheEnd = new WarningThrottle(Duration.ofNanos(100), wrapping::get);

        assertThat(nearTheEnd.record()).isEqualTo(1);
        wrapping.addAndGet(100); // overflows: nanoTime values are compared by difference
        assertThat(nearTheEnd.record()).isEqualTo(1);
    }
}
