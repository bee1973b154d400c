package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.RuleSettings;

/**
 * A rule of the registry: its element of {@code smtpshield.xml}, and how the rule is made of its settings.
 *
 * @param element the element, read by the parser
 * @param factory makes the rule of its settings
 * @param <S>     the kind of settings
 */
public record RuleType<S extends RuleSettings>(RuleElement<S> element, Factory<S> factory) {

    /** Makes a rule of its settings. */
    @FunctionalInterface
    public interface Factory<S> {
        Rule create(S settings, RuleContext context);
    }

    /** The rule as the policy configures it. */
    public Rule create(RuleContext context) {
        return factory.create(context.config().rule(element), context);
    }
}
