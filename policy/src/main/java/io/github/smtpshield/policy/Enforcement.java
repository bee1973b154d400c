package io.github.smtpshield.policy;

import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.StoreSettings.FailureMode;
import io.github.smtpshield.policy.rules.Rule;
import io.github.smtpshield.policy.rules.Violation;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a rule's would-be refusal becomes a refusal or, in observe mode, only a log line: every
 * refusal is written to the security log and counted in the metrics, so no rule can forget either.
 */
public final class Enforcement {
    /**
     * The shared per-IP store (Redis) could not decide and {@code <store onFailure="closed">}: no limit is skipped. It
     * belongs to no one rule (it stands for every rule the store decides).
     */
    public static final Refusal STORE_UNAVAILABLE = new Refusal(
            "store",
            "per-IP store unavailable",
            Reply.closing("451", "4.3.0", "Service temporarily unavailable for %s, try again later"));

    /**
     * A peer that is not one of {@code <trustedProxies>} connected to a {@code proxyRequired} listener: it is refused at
     * connect, before its PROXY header is read, so it claims no address (and no relay right) at all.
     */
    public static final Refusal UNTRUSTED_PROXY = new Refusal(
            "trustedProxies",
            "PROXY protocol from a peer not in <trustedProxies>",
            Reply.closing("421", "4.7.0", "%s is not a trusted proxy, closing connection"));

    private static final Logger LOG = LoggerFactory.getLogger("smtpshield");

    private final SecurityLog securityLog;
    private final ShieldMetrics metrics;
    private final RefusalHistory history;
    /** At most one WARN line per minute about an unavailable store, however many decisions it hits. */
    private final WarningThrottle storeWarnings = WarningThrottle.perMinute();

    public Enforcement(SecurityLog securityLog, ShieldMetrics metrics) {
        this(securityLog, metrics, new RefusalHistory(Clock.systemUTC()));
    }

    /** @param history where each refusal is also counted, per minute, for the operator's console */
    public Enforcement(SecurityLog securityLog, ShieldMetrics metrics, RefusalHistory history) {
        this.securityLog = securityLog;
        this.metrics = metrics;
        this.history = history;
    }

    /** The refusals of the last hour on this node. */
    public RefusalHistory history() {
        return history;
    }

    /** Where the refusals are counted; rules count there what is their own (the DNSBL zones' answers). */
    public ShieldMetrics metrics() {
        return metrics;
    }

    /**
     * A rule's violation: refused in enforce mode (or always, for a violation that says so), only logged in observe
     * mode; logged and counted under the refusal's rule either way.
     *
     * @return the refusal to answer with, or empty in observe mode
     */
    public Optional<Refusal> refuse(Rule rule, ClientConnection client, SmtpEvent event, Violation violation) {
        Refusal refusal = violation.refusal();
        Mode mode = violation.alwaysEnforced() ? Mode.ENFORCE : rule.mode();
        if (mode == Mode.OBSERVE) {
            securityLog.observed(client.address(), event.command(), refusal, violation.detail());
            metrics.count(refusal.rule(), ShieldMetrics.Outcome.OBSERVED);
            history.record(refusal.rule(), true, client.key());
            return Optional.empty();
        }
        securityLog.rejected(client.address(), event.command(), refusal, violation.detail());
        metrics.count(refusal.rule(), ShieldMetrics.Outcome.REJECTED);
        history.record(refusal.rule(), false, client.key());
        return Optional.of(refusal);
    }

    /**
     * A refusal of one of James's own checks on a guarded listener ({@link RecipientChecks}): James decided, so there is
     * no mode and no rule to count it under; it is written to the security log like every refusal.
     *
     * @param command the SMTP command refused, e.g. {@code RCPT}
     * @param detail  appended to the reason, e.g. {@code " (user@remote.example)"}
     */
    public void refusedByJames(ClientConnection client, String command, Refusal refusal, String detail) {
        securityLog.rejected(client.address(), command, refusal, detail);
    }

    /**
     * Refuses a peer that is not a trusted proxy ({@link #UNTRUSTED_PROXY}): logged naming the peer, and counted.
     * Always enforced: a header from anyone else is a claim nobody checked.
     */
    public Refusal untrustedProxy(InetAddress peer) {
        securityLog.rejected(peer, "", UNTRUSTED_PROXY, "");
        metrics.count(UNTRUSTED_PROXY.rule(), ShieldMetrics.Outcome.REJECTED);
        return UNTRUSTED_PROXY;
    }

    /**
     * A mail in James's mailet container over a rule's cap: rejected in enforce mode, only logged in observe mode;
     * logged and counted under the rule either way (as {@link #refuse} does for an SMTP client).
     *
     * @param rule   the element name of the rule whose cap it is
     * @param detail what was over the cap, e.g. "Too many recipients: 101, at most 100 per message"
     * @return true when the mail is to be rejected
     */
    public boolean rejectMail(String rule, Mode mode, String mail, String sender, String detail) {
        if (mode == Mode.OBSERVE) {
            securityLog.mailObserved(mail, sender, detail);
            metrics.count(rule, ShieldMetrics.Outcome.OBSERVED);
            history.record(rule, true, null);
            return false;
        }
        securityLog.mailRejected(mail, sender, detail);
        metrics.count(rule, ShieldMetrics.Outcome.REJECTED);
        history.record(rule, false, null);
        return true;
    }

    /**
     * The store could not take {@code rule}'s decision about the client (Redis down or slower than its timeout).
     * Counted in the rule's {@code store_unavailable} metric and in one WARN line a minute at most.
     *
     * @return empty when {@code onFailure} is open (the client is served as if no limit applied), else
     *     {@link #STORE_UNAVAILABLE}, also written to the security log
     */
    public Optional<Refusal> storeUnavailable(
            Rule rule, FailureMode onFailure, ClientConnection client, SmtpEvent event, RuntimeException cause) {
        metrics.count(rule.name(), ShieldMetrics.Outcome.STORE_UNAVAILABLE);
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
        securityLog.rejected(client.address(), event.command(), STORE_UNAVAILABLE, "");
        history.record(STORE_UNAVAILABLE.rule(), false, client.key());
        return Optional.of(STORE_UNAVAILABLE);
    }
}
