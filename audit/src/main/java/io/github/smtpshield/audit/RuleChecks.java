package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.RuleSettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import io.github.smtpshield.policy.rules.Rules;
import java.util.List;
import java.util.Optional;

/**
 * The audit's item for each rule of the registry, in the registry's order: a limit or check that is off or only
 * observing is a WARN. No policy file counts as every rule off. The bans ({@code <bans>}) are not audited.
 */
final class RuleChecks {
    private static final String SHIELD = PolicyItems.FILE;
    private static final String BANS = "bans";

    private RuleChecks() {}

    static void judge(Optional<ShieldConfig> policy, List<SmtpListener> listeners, Findings findings) {
        for (RuleElement<?> element : Rules.elements()) {
            if (element.section().equals(BANS)) {
                // Beyond Kerio's SMTP page, and each optional: an absent ban is no gap in the checklist.
                continue;
            }
            if (element.equals(MessageSizeLimit.ELEMENT)) {
                // James's own <maxmessagesize> may stand in for the shield's.
                messageSize(policy, listeners, findings);
                continue;
            }
            RuleSettings settings =
                    policy.<RuleSettings>map(p -> p.rule(element)).orElse(element.off());
            if (settings instanceof Check check) {
                check(element, check, findings);
            } else if (settings instanceof HarvestLimit harvest) {
                limit(element, new Limit(harvest.value(), harvest.mode()), findings);
            } else if (settings instanceof Limit limit) {
                limit(element, limit, findings);
            }
        }
    }

    private static void limit(RuleElement<?> element, Limit limit, Findings findings) {
        String item = element.title();
        if (!limit.enabled()) {
            findings.add(Verdict.WARN, item, "off; set a limit", SHIELD, element.path());
        } else if (limit.mode() == Mode.OBSERVE) {
            findings.add(
                    Verdict.WARN,
                    item,
                    limit.value() + " in observe mode: logged, not enforced; remove mode=\"observe\" to enforce it",
                    SHIELD,
                    element.path());
        } else {
            findings.add(Verdict.OK, item, String.valueOf(limit.value()), SHIELD, element.path());
        }
    }

    private static void check(RuleElement<?> element, Check check, Findings findings) {
        String item = element.title();
        if (!check.enabled()) {
            findings.add(Verdict.WARN, item, "off; set it to true", SHIELD, element.path());
        } else if (check.mode() == Mode.OBSERVE) {
            findings.add(Verdict.WARN, item, "observe mode: logged, not enforced", SHIELD, element.path());
        } else {
            findings.add(Verdict.OK, item, "on", SHIELD, element.path());
        }
    }

    /** The policy's size limit, or else James's own {@code <maxmessagesize>} on every listener. */
    private static void messageSize(Optional<ShieldConfig> policy, List<SmtpListener> listeners, Findings findings) {
        String item = MessageSizeLimit.ELEMENT.title();
        Limit shieldLimit = policy.map(p -> p.rule(MessageSizeLimit.ELEMENT)).orElse(Limit.off());
        if (shieldLimit.enabled() && shieldLimit.mode() == Mode.ENFORCE) {
            findings.add(Verdict.OK, item, shieldLimit.value() + " bytes", SHIELD, "<session><maxMessageSize>");
            return;
        }
        List<String> unlimited = listeners.stream()
                .filter(listener -> listener.maxMessageSize() == 0)
                .map(SmtpListener::name)
                .toList();
        if (unlimited.isEmpty()) {
            findings.add(
                    Verdict.OK,
                    item,
                    "every listener has a <maxmessagesize>",
                    SmtpListener.FILE,
                    "<smtpserver> <maxmessagesize>");
        } else {
            findings.add(
                    Verdict.WARN,
                    item,
                    "no size limit" + (shieldLimit.enabled() ? " enforced (observe mode)" : "") + " on "
                            + String.join(", ", unlimited) + "; set one (for example 25M)",
                    SHIELD,
                    "<session><maxMessageSize>");
        }
    }
}
