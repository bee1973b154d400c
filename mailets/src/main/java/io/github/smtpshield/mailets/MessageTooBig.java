package io.github.smtpshield.mailets;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.config.DataSizes;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import java.util.Optional;
import java.util.OptionalLong;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;

/**
 * Selects mail bigger than the cap: {@code <session><maxMessageSize>} of the policy, or the condition
 * ({@code match="io.github.smtpshield.mailets.MessageTooBig=10M"}; sizes as in smtpshield.xml: 512K, 25M, 1G, bytes).
 * A mail of exactly the cap passes; a bigger one is selected whole, to be rejected with status {@code 5.3.4} by
 * {@link RejectWithDsn}. The size of mail that came through a guarded listener is the one its SMTP session counted.
 */
public class MessageTooBig extends CapMatcher {

    /** Without the policy: the cap must then be given as the condition. */
    public MessageTooBig() {}

    @Inject
    public MessageTooBig(ShieldConfig policy, Enforcement enforcement) {
        super(policy, enforcement);
    }

    @Override
    long parseCondition(String condition) {
        return DataSizes.parse(condition);
    }

    @Override
    RuleElement<Limit> element() {
        return MessageSizeLimit.ELEMENT;
    }

    @Override
    Optional<OverCap> check(Mail mail, Limit cap) throws MessagingException {
        // What the session counted, when there was one: the client's bytes, without the Received: James added.
        OptionalLong counted = sessionSize(mail);
        long size = counted.isPresent() ? counted.getAsLong() : mail.getMessageSize();
        return cap.exceededBy(size) ? Optional.of(OverCap.tooBig(size, cap.value())) : Optional.empty();
    }

    @Override
    public String getMatcherInfo() {
        return "SMTP Shield: mail bigger than the cap";
    }
}
