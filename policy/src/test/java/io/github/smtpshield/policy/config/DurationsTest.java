package io.github.smtpshield.policy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "90s, PT1M30S",
        "30m, PT30M",
        "1h, PT1H",
        "1d, PT24H",
        "0s, PT0S",
    })
    void readsUnits(String text, Duration duration) {
        assertThat(Durations.parse(text)).isEqualTo(duration);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "90                   | duration needs a unit (ms, s, m, h or d): '90'",
                "5x                   | unknown duration unit (ms, s, m, h or d): '5x'",
                "5M                   | unknown duration unit (ms, s, m, h or d): '5M'",
                "1w                   | unknown duration unit (ms, s, m, h or d): '1w'",
                "-5s                  | must not be negative: '-5s'",
                "1.5h                 | not a duration (such as 90s, 30m, 1h, 1d): '1.5h'",
                "h                    | not a duration (such as 90s, 30m, 1h, 1d): 'h'",
                "99999999999999999999s| duration too large: '99999999999999999999s'",
                "9223372036854775807d | duration too large: '9223372036854775807d'",
            })
    void refusesBadDurations(String text, String message) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void durationsAreWrittenInTheirLargestExactUnit() {
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
    }
}
