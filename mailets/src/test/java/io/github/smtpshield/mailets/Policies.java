package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import io.github.smtpshield.policy.rules.RecipientLimit;

/** Policies with given session caps, as ShieldModule would bind them, and the enforcement it binds. */
final class Policies {
    static final Enforcement ENFORCEMENT = new Enforcement(new SecurityLog(), ShieldMetrics.NONE);

    private Policies() {}

    static ShieldConfig withCaps(Limit maxRecipients, Limit maxSize) {
        return ShieldConfig.defaults()
                .with(RecipientLimit.ELEMENT, maxRecipients)
                .with(MessageSizeLimit.ELEMENT, maxSize);
    }
}
