package io.github.smtpshield.james;

import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.ShieldMetrics;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;

/**
 * The shield's counters in James's {@link MetricFactory}, so {@code GET /metrics} shows them: one per rule and
 * outcome, named {@code smtpshield_<rule>_<outcome>}, e.g. {@code smtpshield_maxUnknownRecipients_rejected}.
 */
final class JamesShieldMetrics implements ShieldMetrics {
    private final Map<Rule, Map<Outcome, Metric>> counters = new EnumMap<>(Rule.class);

    JamesShieldMetrics(MetricFactory metricFactory) {
        for (Rule rule : Rule.values()) {
            Map<Outcome, Metric> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, metricFactory.generate(name(rule, outcome)));
            }
            counters.put(rule, byOutcome);
        }
    }

    static String name(Rule rule, Outcome outcome) {
        return "smtpshield_" + rule.configName() + "_" + outcome.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void count(Rule rule, Outcome outcome) {
        counters.get(rule).get(outcome).increment();
    }
}
