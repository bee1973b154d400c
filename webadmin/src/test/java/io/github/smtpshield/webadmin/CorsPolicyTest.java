package io.github.smtpshield.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {

    @Test
    void onlyANamedOriginIsAllowed() {
        assertThat(new CorsPolicy(Optional.of(" https://admin.example ")).origin())
                .contains("https://admin.example");
        assertThat(new CorsPolicy(Optional.empty()).origin()).as("CORS off").isEmpty();
        assertThat(new CorsPolicy(Optional.of("*")).origin())
                .as("every origin is no origin")
                .isEmpty();
        assertThat(new CorsPolicy(Optional.of("")).origin()).isEmpty();
    }
}
