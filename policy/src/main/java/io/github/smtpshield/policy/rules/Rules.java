package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.config.RuleElement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rule registry: every rule of the shield, in the order they judge an event (the first refusal answers it). A new
 * rule is one class (its element, refusals and handlers) and one line here; see the README's rule table.
 */
public final class Rules {
    private static final List<RuleType<?>> TYPES = List.of(
            MessageRateLimit.TYPE,
            // Before the connection limit: a client of a blocked network takes no connection slot.
            NetworkBlockLimit.TYPE,
            ConnectionLimit.TYPE,
            UnknownRecipientLimit.TYPE,
            FailedCommandLimit.TYPE,
            RecipientLimit.TYPE,
            MessageSizeLimit.TYPE,
            SessionDurationLimit.TYPE,
            // After the connection limit (a refused connection is not looked up); its verdict comes before the PTR's
            DnsblScreening.TYPE,
            // The PTR answers before the sender's domain: both are looked up at once, the PTR's verdict comes first.
            ClientWithoutPtrCheck.TYPE,
            UnknownSenderDomainCheck.TYPE,
            // The bans: the per-client count of a failed AUTH answers before the account's.
            AuthFailureLimit.TYPE,
            AccountAuthFailureLimit.TYPE,
            RepeatedRefusalLimit.TYPE,
            BanEscalation.TYPE);

    static {
        Set<String> names = new HashSet<>();
        for (RuleType<?> type : TYPES) {
            if (!names.add(type.element().name())) {
                throw new IllegalStateException(
                        "two rules are named " + type.element().name());
            }
        }
    }

    private Rules() {}

    public static List<RuleType<?>> types() {
        return TYPES;
    }

    /** The rules' elements of {@code smtpshield.xml}, as the parser reads them. */
    public static List<RuleElement<?>> elements() {
        return TYPES.stream().<RuleElement<?>>map(RuleType::element).toList();
    }

    /** Every rule, made of the policy. */
    public static List<Rule> of(RuleContext context) {
        return TYPES.stream().map(type -> type.create(context)).toList();
    }
}
