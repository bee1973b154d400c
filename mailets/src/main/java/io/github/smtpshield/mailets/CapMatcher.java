package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.CheckedInSession;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.ShieldConfig;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A matcher for one cap of the policy: it selects every recipient of a mail over the cap (so the whole mail, never a
 * part of it, goes to the mailet) and records what was over the cap for {@link RejectWithDsn}. The cap is the
 * condition when there is one, otherwise the policy's value ({@code conf/smtpshield.xml}, with its
 * {@code mode="observe"}); a cap of 0 is off. James builds the matchers with the policy bound by the shield's Guice
 * module ({@code guice.extension.module=io.github.smtpshield.james.ShieldModule} in {@code extensions.properties}).
 *
 * <p>Mail that came through a guarded listener was held to the policy's caps in its SMTP session
 * ({@link CheckedInSession}): a matcher with the policy's cap lets it pass, so what the session accepted is never
 * bounced for the same cap (the sender of inbound mail may be forged: backscatter).
 */
abstract class CapMatcher extends GenericMatcher {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");
    private static final AttributeName SESSION_CHECK = AttributeName.of(CheckedInSession.ATTRIBUTE);

    private final Optional<ShieldConfig> policy;
    private final Enforcement enforcement;
    private Limit cap = Limit.off();
    private boolean policyCap;

    /** Without the policy: the cap must be the condition, and refusals go to the security log, uncounted. */
    CapMatcher() {
        this.policy = Optional.empty();
        this.enforcement = new Enforcement(new SecurityLog(), ShieldMetrics.NONE);
    }

    CapMatcher(ShieldConfig policy, Enforcement enforcement) {
        this.policy = Optional.of(policy);
        this.enforcement = enforcement;
    }

    /** The cap's value read from the condition, by the policy's own reader; throws IllegalArgumentException. */
    abstract long parseCondition(String condition);

    /** The rule whose cap this is. */
    abstract RuleElement<Limit> element();

    /** What is over the cap in this mail, if anything. */
    abstract Optional<OverCap> check(Mail mail, Limit cap) throws MessagingException;

    @Override
    public void init() throws MessagingException {
        String condition =
                Optional.ofNullable(getCondition()).map(String::strip).orElse("");
        if (!condition.isEmpty()) {
            try {
                cap = new Limit(parseCondition(condition), Mode.ENFORCE);
            } catch (IllegalArgumentException e) {
                throw MailetParameters.refuse("matcher " + getClass().getName() + "=" + condition, e.getMessage());
            }
        } else if (policy.isPresent()) {
            cap = policy.get().rule(element());
            policyCap = true;
        } else {
            throw MailetParameters.refuse(
                    "matcher " + getClass().getName(),
                    "no cap: give one as its condition (" + getClass().getName() + "=N) or load the shield's policy"
                            + " (guice.extension.module=io.github.smtpshield.james.ShieldModule in extensions.properties)");
        }
        LOGGER.info(
                "SMTP Shield: matcher {} {}",
                getClass().getSimpleName(),
                cap.enabled()
                        ? "selects mail over " + cap.value()
                                + (cap.mode() == Mode.OBSERVE ? " (observe mode: it only logs)" : "")
                        : "is off (cap 0)");
    }

    /** The size the SMTP session counted, when the mail came through a guarded listener ({@link CheckedInSession}). */
    static OptionalLong sessionSize(Mail mail) {
        return mail.getAttribute(SESSION_CHECK)
                .map(attribute -> attribute.getValue().value())
                .filter(Long.class::isInstance)
                .map(size -> OptionalLong.of((Long) size))
                .orElse(OptionalLong.empty());
    }

    @Override
    public Collection<MailAddress> match(Mail mail) throws MessagingException {
        if (!cap.enabled() || (policyCap && sessionSize(mail).isPresent())) {
            return List.of();
        }
        Optional<OverCap> overCap = check(mail, cap);
        if (overCap.isEmpty()
                || !enforcement.rejectMail(
                        element().name(),
                        cap.mode(),
                        mail.getName(),
                        mail.getMaybeSender().asString(),
                        overCap.get().reason())) {
            return List.of();
        }
        overCap.get().storeOn(mail);
        return mail.getRecipients();
    }
}
