package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.ShieldConfig;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The audit's item for each rule of the policy, in the order it prints them: the one list of per-rule checks (a
 * limit or DNS check that is off or only observing is a WARN). No policy file counts as every rule off.
 */
final class RuleChecks {
    private static final String SHIELD = PolicyItems.FILE;

    /** One rule's item. */
    @FunctionalInterface
    interface RuleCheck {
        void judge(Optional<ShieldConfig> policy, List<SmtpListener> listeners, Findings findings);
    }

    static final List<RuleCheck> ALL = List.of(
            limit(
                    "max messages per hour per IP",
                    "<perIp><maxMessagesPerHour>",
                    p -> p.perIp().maxMessagesPerHour()),
            limit(
                    "max concurrent connections per IP",
                    "<perIp><maxConcurrentConnections>",
                    p -> p.perIp().maxConcurrentConnections()),
            limit(
                    "max unknown recipients per IP (directory harvest)",
                    "<perIp><maxUnknownRecipients>",
                    p -> harvest(p.perIp().maxUnknownRecipients())),
            limit(
                    "max failed commands per session",
                    "<session><maxFailedCommands>",
                    p -> p.session().maxFailedCommands()),
            limit(
                    "max recipients per message",
                    "<session><maxRecipientsPerMessage>",
                    p -> p.session().maxRecipientsPerMessage()),
            RuleChecks::messageSize,
            dnsCheck(
                    "block if the sender's domain is not in DNS",
                    "<dns><rejectUnknownSenderDomain>",
                    p -> p.dns().rejectUnknownSenderDomain()),
            dnsCheck(
                    "block if the client IP has no reverse DNS (PTR)",
                    "<dns><rejectClientWithoutPtr>",
                    p -> p.dns().rejectClientWithoutPtr()));

    private RuleChecks() {}

    private static Limit harvest(HarvestLimit harvest) {
        return new Limit(harvest.value(), harvest.mode());
    }

    private static RuleCheck limit(String item, String element, Function<ShieldConfig, Limit> limitOf) {
        return (policy, listeners, findings) -> {
            Limit limit = policy.map(limitOf).orElse(Limit.off());
            if (!limit.enabled()) {
                findings.add(Verdict.WARN, item, "off; set a limit", SHIELD, element);
            } else if (limit.mode() == Mode.OBSERVE) {
                findings.add(
                        Verdict.WARN,
                        item,
                        limit.value() + " in observe mode: logged, not enforced; remove mode=\"observe\" to enforce it",
                        SHIELD,
                        element);
            } else {
                findings.add(Verdict.OK, item, String.valueOf(limit.value()), SHIELD, element);
            }
        };
    }

    /** The policy's size limit, or else James's own {@code <maxmessagesize>} on every listener. */
    private static void messageSize(Optional<ShieldConfig> policy, List<SmtpListener> listeners, Findings findings) {
        String item = "max message size";
        Limit shieldLimit = policy.map(p -> p.session().maxMessageSize()).orElse(Limit.off());
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

    private static RuleCheck dnsCheck(String item, String element, Function<ShieldConfig, Check> checkOf) {
        return (policy, listeners, findings) -> {
            Check check = policy.map(checkOf).orElse(Check.off());
            if (!check.enabled()) {
                findings.add(Verdict.WARN, item, "off; set it to true", SHIELD, element);
            } else if (check.mode() == Mode.OBSERVE) {
                findings.add(Verdict.WARN, item, "observe mode: logged, not enforced", SHIELD, element);
            } else {
                findings.add(Verdict.OK, item, "on", SHIELD, element);
            }
        };
    }
}
