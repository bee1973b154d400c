package io.github.smtpshield.james;

import javax.inject.Inject;

import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.smtpshield.policy.config.ShieldConfig;

/**
 * Start-up hook ({@code guice.extension.startable} in {@code conf/extensions.properties}). Being built by the
 * extension injector, it makes James load and check the policy at start-up even when no listener uses the
 * shield yet, and it logs what the shield enforces.
 */
public class ShieldStartup implements UserDefinedStartable {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    private final ShieldConfig config;

    @Inject
    public ShieldStartup(ShieldConfig config) {
        this.config = config;
    }

    @Override
    public void start() {
        LOGGER.info("SMTP Shield started: {}", config);
    }
}
