package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.config.DataSizes;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.ShieldConfig;
import java.util.Optional;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;

/**
 * Selects mail bigger than the cap: {@code <session><maxMessageSize>} of the policy, or the condition
 * ({@code match="io.github.smtpshield.mailets.MessageTooBig=10M"}; sizes as in smtpshield.xml: 512K, 25M, 1G, bytes).
 * A mail of exactly the cap passes; a bigger one is selected whole, to be rejected with status {@code 5.3.4} by
 * {@link RejectWithDsn}.
 */
public class MessageTooBig extends CapMatcher {

    /** Without the policy: the cap must then be given as the condition. */
    public MessageTooBig() {}

    @Inject
    public MessageTooBig(ShieldConfig policy) {
        super(policy);
    }

    @Override
    long parseCondition(String condition) {
        return DataSizes.parse(condition);
    }

    @Override
    Limit policyCap(ShieldConfig policy) {
        return policy.session().maxMessageSize();
    }

    @Override
    Optional<OverCap> check(Mail mail, long cap) throws MessagingException {
        long size = mail.getMessageSize();
        return size > cap ? Optional.of(OverCap.tooBig(size, cap)) : Optional.empty();
    }

    @Override
    public String getMatcherInfo() {
        return "SMTP Shield: mail bigger than the cap";
    }
}
