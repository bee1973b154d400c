package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.config.ConfigValues;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.rules.RecipientLimit;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.mailet.Mail;

/**
 * Selects mail with more recipients than the cap: {@code <session><maxRecipientsPerMessage>} of the policy, or the
 * condition ({@code match="io.github.smtpshield.mailets.TooManyRecipients=50"}). A cap of N lets N recipients through;
 * a mail with N+1 is selected whole, to be rejected with status {@code 5.5.3} by {@link RejectWithDsn}. This holds the
 * cap for mail that did not pass the shield's SMTP hooks (submission, LMTP, JMAP, WebAdmin).
 */
public class TooManyRecipients extends CapMatcher {

    /** Without the policy: the cap must then be given as the condition. */
    public TooManyRecipients() {}

    @Inject
    public TooManyRecipients(ShieldConfig policy, Enforcement enforcement) {
        super(policy, enforcement);
    }

    @Override
    long parseCondition(String condition) {
        try {
            return ConfigValues.wholeNumber(condition);
        } catch (IllegalArgumentException notACount) {
            // The policy's reader decides; the words say what the number is for.
            throw new IllegalArgumentException(
                    condition.startsWith("-")
                            ? "the recipient cap must not be negative: '" + condition + "'"
                            : "not a whole number of recipients: '" + condition + "'",
                    notACount);
        }
    }

    @Override
    RuleElement<Limit> element() {
        return RecipientLimit.ELEMENT;
    }

    @Override
    Optional<OverCap> check(Mail mail, Limit cap) {
        int recipients = mail.getRecipients().size();
        return cap.exceededBy(recipients)
                ? Optional.of(OverCap.tooManyRecipients(recipients, cap.value()))
                : Optional.empty();
    }

    @Override
    public String getMatcherInfo() {
        return "SMTP Shield: mail with more recipients than the cap";
    }
}
