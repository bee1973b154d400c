package io.github.smtpshield.policy;

import java.util.Optional;

import io.github.smtpshield.policy.config.Mode;

/**
 * The one place a rule's would-be refusal becomes a refusal or, in observe mode, only a log line: every
 * refusal is written to the security log and counted in the metrics, so no rule can forget either.
 */
public final class Enforcement {
    private final SecurityLog securityLog;
    private final ShieldMetrics metrics;

    public Enforcement(SecurityLog securityLog, ShieldMetrics metrics) {
        this.securityLog = securityLog;
        this.metrics = metrics;
    }

    /**
     * @param detail appended to the reason in the log line, e.g. " (limit 10)"; may be empty
     * @return the refusal to answer with, or empty in observe mode
     */
    public Optional<Refusal> refuse(Mode mode, ClientConnection client, Refusal refusal, String detail) {
        if (mode == Mode.OBSERVE) {
            securityLog.observed(client.address(), refusal, detail);
            metrics.count(refusal.rule(), ShieldMetrics.Outcome.OBSERVED);
            return Optional.empty();
        }
        securityLog.rejected(client.address(), refusal, detail);
        metrics.count(refusal.rule(), ShieldMetrics.Outcome.REJECTED);
        return Optional.of(refusal);
    }
}
