package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.RefusalHistory.ClientRefusals;
import io.github.smtpshield.policy.RefusalHistory.RuleRefusals;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.StoreHealth;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.rules.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /smtpshield/status}: the shield at a glance, for {@code bin/smtp-shield status} and the dashboard. The
 * counts are this node's, over the last hour.
 *
 * @param rules      every rule of the registry in its order, then any other name refusals were counted under (the
 *     store's {@code 451}), with a null state
 * @param activeBlocks how many blocks are active; null when the store does not answer
 * @param topClients the clients with the most refusals, most first
 */
public record StatusView(List<RuleStatus> rules, StoreView store, Integer activeBlocks, List<ClientView> topClients) {

    static final int TOP_CLIENTS = 10;

    /** A rule, its state ("on", "observe" or "off") and what it refused in the last hour. */
    public record RuleStatus(String rule, String state, long refused, long observed) {}

    /** Whether the per-IP store answers, and in how many milliseconds. */
    public record StoreView(String type, boolean up, long millis, String detail) {
        static StoreView of(StoreHealth health) {
            return new StoreView(health.type(), health.up(), health.took().toMillis(), health.detail());
        }
    }

    /** A client key and its refusals in the last hour. */
    public record ClientView(String ip, long refused, long observed) {
        static ClientView of(ClientRefusals refusals) {
            return new ClientView(refusals.client().toString(), refusals.refused(), refusals.observed());
        }
    }

    static StatusView of(Shield shield) {
        StoreHealth health = shield.storeHealth();
        Map<String, RuleRefusals> counted = new TreeMap<>(shield.refusals().lastHourByRule());
        List<RuleStatus> rules = new ArrayList<>();
        for (Rule rule : shield.rules()) {
            RuleRefusals refusals = counted.remove(rule.name());
            rules.add(status(rule.name(), state(rule), refusals));
        }
        counted.forEach((name, refusals) -> rules.add(status(name, null, refusals)));
        return new StatusView(
                rules,
                StoreView.of(health),
                health.up() ? Integer.valueOf(shield.blocks().size()) : null,
                shield.refusals().topClients(TOP_CLIENTS).stream()
                        .map(ClientView::of)
                        .toList());
    }

    private static String state(Rule rule) {
        if (!rule.enabled()) {
            return "off";
        }
        return rule.mode() == Mode.OBSERVE ? "observe" : "on";
    }

    private static RuleStatus status(String name, String state, RuleRefusals refusals) {
        return refusals == null
                ? new RuleStatus(name, state, 0, 0)
                : new RuleStatus(name, state, refusals.refused(), refusals.observed());
    }
}
