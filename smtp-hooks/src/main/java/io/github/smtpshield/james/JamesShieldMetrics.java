package io.github.smtpshield.james;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.rules.Rules;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;

/**
 * The shield's counters in James's {@link MetricFactory}, so {@code GET /metrics} shows them: one per rule of the
 * registry and outcome, made at start-up (so a scraper sees every one at 0), named {@code smtpshield_<rule>_<outcome>},
 * e.g. {@code smtpshield_maxUnknownRecipients_rejected}.
 */
final class JamesShieldMetrics implements ShieldMetrics {
    private static final Pattern NOT_IN_A_NAME = Pattern.compile("[^A-Za-z0-9_]");

    private final Map<String, Map<Outcome, Metric>> counters = new HashMap<>();
    /** The DNSBL screening's, made at their first count: one per zone of the policy and outcome. */
    private final Map<String, Metric> screenings = new ConcurrentHashMap<>();

    private final MetricFactory metricFactory;

    JamesShieldMetrics(MetricFactory metricFactory) {
        this.metricFactory = metricFactory;
        List<String> names = new ArrayList<>();
        Rules.elements().stream().map(RuleElement::name).forEach(names::add);
        // The one refusal that is no rule's and is counted (a store failure is counted under the rule it hit).
        names.add(Enforcement.UNTRUSTED_PROXY.rule());
        for (String rule : names) {
            Map<Outcome, Metric> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, metricFactory.generate(name(rule, outcome)));
            }
            counters.put(rule, byOutcome);
        }
    }

    static String name(String rule, Outcome outcome) {
        return "smtpshield_" + rule + "_" + outcome.name().toLowerCase(Locale.ROOT);
    }

    /** {@code smtpshield_dnsbl_screening_blocked}, {@code smtpshield_dnsbl_zone_zen_spamhaus_org_listed}... */
    @Override
    public void screening(String what, String outcome) {
        screenings
                .computeIfAbsent(
                        "smtpshield_dnsbl_"
                                + NOT_IN_A_NAME.matcher(what + "_" + outcome).replaceAll("_"),
                        metricFactory::generate)
                .increment();
    }

    @Override
    public void count(String rule, Outcome outcome) {
        Map<Outcome, Metric> byOutcome = counters.get(rule);
        if (byOutcome != null) {
            byOutcome.get(outcome).increment();
        }
    }
}
