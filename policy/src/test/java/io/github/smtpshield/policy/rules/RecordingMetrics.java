package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Rule;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.ShieldMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that remember what was counted, and the enforcement that counts into them. */
final class RecordingMetrics implements ShieldMetrics {
    record Count(Rule rule, Outcome outcome) {}

    private final List<Count> counts = new CopyOnWriteArrayList<>();

    @Override
    public void count(Rule rule, Outcome outcome) {
        counts.add(new Count(rule, outcome));
    }

    List<Count> counts() {
        return List.copyOf(counts);
    }

    Enforcement enforcement() {
        return new Enforcement(new SecurityLog(), this);
    }
}
