package io.github.smtpshield.policy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataSizesTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1000, 1000",
        "512K, 524288",
        "512k, 524288",
        "25M, 26214400",
        "1G, 1073741824",
        "1g, 1073741824",
        "8589934591G, 9223372035781033984",
    })
    void readsBinaryUnits(String text, long bytes) {
        assertThat(DataSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "25X                  | unknown size unit (K, M, G or none for bytes): '25X'",
                "25MB                 | unknown size unit (K, M, G or none for bytes): '25MB'",
                "-1M                  | must not be negative: '-1M'",
                "M                    | not a size (such as 512K, 25M, 1G or bytes): 'M'",
                "2.5M                 | not a size (such as 512K, 25M, 1G or bytes): '2.5M'",
                "8589934592G          | size too large: '8589934592G'",
                "99999999999999999999 | size too large: '99999999999999999999'",
            })
    void refusesBadSizes(String text, String message) {
        assertThatThrownBy(() -> DataSizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
