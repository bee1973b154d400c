package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.ShieldConfig;
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
    public TooManyRecipients(ShieldConfig policy) {
        super(policy);
    }

    @Override
    long parseCondition(String condition) {
        try {
            long cap = Long.parseLong(condition);
            if (cap < 0) {
                throw new IllegalArgumentException("the recipient cap must not be negative: '" + condition + "'");
            }
            return cap;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number of recipients: '" + condition + "'");
        }
    }

    @Override
    Limit policyCap(ShieldConfig policy) {
        return policy.session().maxRecipientsPerMessage();
    }

    @Override
    Optional<OverCap> check(Mail mail, long cap) {
        int recipients = mail.getRecipients().size();
        return recipients > cap ? Optional.of(OverCap.tooManyRecipients(recipients, cap)) : Optional.empty();
    }

    @Override
    public String getMatcherInfo() {
        return "SMTP Shield: mail with more recipients than the cap";
    }
}
