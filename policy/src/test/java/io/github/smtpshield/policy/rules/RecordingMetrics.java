package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.RuleSettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.DnsClient;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that remember what was counted, and a shield of one rule's settings that counts into them. */
final class RecordingMetrics implements ShieldMetrics {
    record Count(String rule, Outcome outcome) {}

    private final List<Count> counts = new CopyOnWriteArrayList<>();

    @Override
    public void count(String rule, Outcome outcome) {
        counts.add(new Count(rule, outcome));
    }

    List<Count> counts() {
        return List.copyOf(counts);
    }

    /** A shield on a fresh memory store whose only settings are the rule's; the resolver is {@code dns}. */
    <S extends RuleSettings> Shield shield(RuleElement<S> element, S settings, DnsClient dns) {
        return shield(ShieldConfig.defaults().with(element, settings), dns);
    }

    /** A shield of the policy on a fresh memory store; the resolver is {@code dns}. */
    Shield shield(ShieldConfig config, DnsClient dns) {
        return new Shield(
                config, MemoryClientStore.builder().build(), new Enforcement(new SecurityLog(), this), () -> dns);
    }

    <S extends RuleSettings> Shield shield(RuleElement<S> element, S settings) {
        return shield(element, settings, new FakeDns());
    }

    /** The event's answer, waited for. */
    static Optional<Refusal> on(Shield shield, ClientConnection client, SmtpEvent event) {
        return shield.on(client, event).join();
    }
}
