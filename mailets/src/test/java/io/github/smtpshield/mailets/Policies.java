package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.config.DnsSettings;
import io.github.smtpshield.policy.config.Exemptions;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.PerIpLimits;
import io.github.smtpshield.policy.config.RelaySettings;
import io.github.smtpshield.policy.config.SessionLimits;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.StoreSettings;

/** Policies with given session caps, as ShieldModule would bind them. */
final class Policies {
    private Policies() {}

    static ShieldConfig withCaps(Limit maxRecipients, Limit maxSize) {
        return new ShieldConfig(
                Exemptions.defaults(),
                PerIpLimits.defaults(),
                new SessionLimits(Limit.off(), maxRecipients, maxSize),
                DnsSettings.defaults(),
                RelaySettings.defaults(),
                StoreSettings.memory());
    }
}
