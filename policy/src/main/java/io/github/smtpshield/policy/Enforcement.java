package io.github.smtpshield.policy;

import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.StoreSettings.FailureMode;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a rule's would-be refusal becomes a refusal or, in observe mode, only a log line: every
 * refusal is written to the security log and counted in the metrics, so no rule can forget either.
 */
public final class Enforcement {
    private static final Logger LOG = LoggerFactory.getLogger("smtpshield");

    private final SecurityLog securityLog;
    private final ShieldMetrics metrics;
    /** At most one WARN line per minute about an unavailable store, however many decisions it hits. */
    private final WarningThrottle storeWarnings = WarningThrottle.perMinute();

    public Enforcement(SecurityLog securityLog, ShieldMetrics metrics) {
        this.securityLog = securityLog;
        this.metrics = metrics;
    }

    /**
     * A rule's would-be refusal: refused in enforce mode, only logged in observe mode; logged and counted either way.
     *
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

    /**
     * The store could not take {@code rule}'s decision about the client (Redis down or slower than its timeout).
     * Counted in the rule's {@code store_unavailable} metric and in one WARN line a minute at most.
     *
     * @return empty when {@code onFailure} is open (the client is served as if no limit applied), else
     *     {@link Refusal#STORE_UNAVAILABLE}, also written to the security log
     */
    public Optional<Refusal> storeUnavailable(
            Rule rule, FailureMode onFailure, ClientConnection client, RuntimeException cause) {
        metrics.count(rule, ShieldMetrics.Outcome.STORE_UNAVAILABLE);
        long failures = storeWarnings.record();
        if (failures > 0) {
            LOG.warn(
                    "SMTP Shield: the per-IP store is unavailable ({}); onFailure={}: {} ({} decision(s) hit since the last warning)",
                    cause.getMessage(),
                    onFailure.name().toLowerCase(Locale.ROOT),
                    onFailure == FailureMode.OPEN
                            ? "clients are served as if no per-IP limit applied"
                            : "clients are refused with 451 4.3.0",
                    failures);
        }
        if (onFailure == FailureMode.OPEN) {
            return Optional.empty();
        }
        securityLog.rejected(client.address(), Refusal.STORE_UNAVAILABLE, "");
        return Optional.of(Refusal.STORE_UNAVAILABLE);
    }
}
