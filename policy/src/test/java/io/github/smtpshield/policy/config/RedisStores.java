package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.Optional;

/** Redis store settings for tests, as the parser makes them of {@code <store type="redis" .../>}. */
public final class RedisStores {
    private RedisStores() {}

    /** One Redis (not a cluster), the default timeout and lease. */
    public static StoreSettings redis(String uri, StoreSettings.FailureMode onFailure) {
        return redis(uri, onFailure, StoreSettings.DEFAULT_TIMEOUT, StoreSettings.DEFAULT_LEASE);
    }

    public static StoreSettings redis(
            String uri, StoreSettings.FailureMode onFailure, Duration timeout, Duration lease) {
        return new StoreSettings(StoreSettings.Type.REDIS, Optional.of(uri), onFailure, timeout, lease, false);
    }
}
