package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.config.EscalationSettings;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.store.BanTerms;
import java.time.Duration;

/**
 * fail2ban's {@code recidive} ({@code <bans><escalation>}): a key blocked again within {@code memory} of its previous
 * block's start is blocked {@code factor} times as long as the previous time, at most {@code max}; every block still
 * ends. It handles no event: the rules that block ({@link AuthFailureLimit}, {@link RepeatedRefusalLimit},
 * {@link NetworkBlockLimit}) take their {@link #terms} from it, and the store applies them in the block's decision. In
 * observe mode every block keeps its first length; the offences are still counted.
 */
public final class BanEscalation extends Rule {
    public static final RuleElement<EscalationSettings> ELEMENT = new RuleElement<>(
            "bans",
            "escalation",
            "longer blocks for repeat offenders",
            EscalationSettings.READER,
            EscalationSettings.off());
    public static final RuleType<EscalationSettings> TYPE = new RuleType<>(ELEMENT, BanEscalation::new);

    private BanEscalation(EscalationSettings settings, RuleContext context) {
        super(ELEMENT, settings);
    }

    /** How long a block of {@code reason} lasts under the policy's escalation: {@code blockFor} the first time. */
    public static BanTerms terms(ShieldConfig config, String reason, Duration blockFor) {
        EscalationSettings escalation = config.rule(ELEMENT);
        if (!escalation.enabled()) {
            return BanTerms.once(reason, blockFor);
        }
        double factor = escalation.mode() == Mode.OBSERVE ? 1 : escalation.factor();
        return new BanTerms(reason, blockFor, factor, escalation.max(), escalation.memory());
    }
}
