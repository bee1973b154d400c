package io.github.smtpshield.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyViewTest {

    @Test
    void aRedisUriIsShownWithoutItsCredentials() {
        assertThat(shownUri("redis://:s3cret@redis.example:6379/0")).isEqualTo("redis://redis.example:6379/0");
        assertThat(shownUri("rediss://user:s3cret@10.0.0.1")).isEqualTo("rediss://10.0.0.1");
        assertThat(shownUri("redis://10.0.0.1:6379")).isEqualTo("redis://10.0.0.1:6379");
        assertThat(shownUri("redis://:s3cret@10.0.0.1:7000,10.0.0.2:7000"))
                .isEqualTo("redis://10.0.0.1:7000,10.0.0.2:7000");
    }

    /** The URI as the policy view shows it; several hosts are a Redis Cluster's seeds. */
    private static Object shownUri(String uri) {
        StoreSettings store = new StoreSettings(
                StoreSettings.Type.REDIS,
                Optional.of(uri),
                StoreSettings.FailureMode.OPEN,
                StoreSettings.DEFAULT_TIMEOUT,
                StoreSettings.DEFAULT_LEASE,
                uri.contains(","));
        return ((Map<?, ?>) PolicyView.of(ShieldConfig.defaults().with(store)).get("store")).get("uri");
    }

    @Test
    void aRedisStoreSaysWhetherItIsARedisClusterAndItsTimeoutAndLease() {
        StoreSettings cluster = new StoreSettings(
                StoreSettings.Type.REDIS,
                Optional.of("redis://:s3cret@10.0.0.1:7000,10.0.0.2:7000"),
                StoreSettings.FailureMode.CLOSED,
                Duration.ofMillis(1500),
                Duration.ofMinutes(2),
                true);

        Map<String, Object> view = PolicyView.of(ShieldConfig.defaults().with(cluster));

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("type", "redis");
        expected.put("uri", "redis://10.0.0.1:7000,10.0.0.2:7000");
        expected.put("cluster", true);
        expected.put("onFailure", "closed");
        expected.put("timeout", "1500ms");
        expected.put("lease", "2m");
        assertThat(view.get("store")).isEqualTo(expected);
    }

    @Test
    @SuppressWarnings("unchecked") // the sections are maps
    void everyRuleOfTheRegistryIsShownInItsSection() {
        Map<String, Object> view = PolicyView.of(ShieldConfig.defaults());

        assertThat(view)
                .containsOnlyKeys(
                        "exempt", "trustedProxies", "perIp", "session", "dns", "relay", "store", "screening", "bans");
        assertThat((Map<Object, Object>) view.get("bans"))
                .containsOnlyKeys("authFailures", "accountAuthFailures", "repeatedRefusals", "escalation", "networks");
        assertThat(view.get("trustedProxies")).isEqualTo(List.of());
        assertThat((Map<Object, Object>) view.get("screening")).containsOnlyKeys("dnsbl");
        assertThat((Map<Object, Object>) view.get("perIp"))
                .containsKeys("maxMessagesPerHour", "maxConcurrentConnections", "maxUnknownRecipients");
        assertThat((Map<Object, Object>) view.get("session"))
                .containsOnlyKeys("maxFailedCommands", "maxRecipientsPerMessage", "maxMessageSize", "maxDuration");
        assertThat((Map<Object, Object>) ((Map<Object, Object>) view.get("session")).get("maxDuration"))
                .as("on when absent")
                .containsEntry("enabled", true)
                .containsEntry("limit", "10m");
        assertThat((Map<Object, Object>) view.get("dns"))
                .containsKeys("rejectUnknownSenderDomain", "rejectClientWithoutPtr");
    }
}
