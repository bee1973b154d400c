package io.github.smtpshield.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.CheckedInSession;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class MessageTooBigTest {

    private static MessageTooBig matcher(Limit policyCap, String condition) throws MessagingException {
        MessageTooBig matcher = new MessageTooBig(Policies.withCaps(Limit.off(), policyCap), Policies.ENFORCEMENT);
        matcher.init(FakeMatcherConfig.builder()
                .matcherName("MessageTooBig")
                .condition(condition)
                .build());
        return matcher;
    }

    private static Mail mailOf(long size) throws MessagingException {
        return FakeMail.builder()
                .name("m" + size)
                .sender("sender@example.test")
                .recipients("a@example.test", "b@example.test")
                .size(size)
                .build();
    }

    @Test
    void aMailOfExactlyTheCapPasses() throws Exception {
        assertThat(matcher(new Limit(2048, Mode.ENFORCE), null).match(mailOf(2048)))
                .isEmpty();
    }

    @Test
    void aMailOneByteOverTheCapIsSelectedWhole() throws Exception {
        Mail mail = mailOf(2049);

        assertThat(matcher(new Limit(2048, Mode.ENFORCE), null).match(mail))
                .containsExactlyElementsOf(mail.getRecipients());
        assertThat(OverCap.of(mail)).contains(new OverCap("5.3.4", 552, "Message too big: 2049 bytes, at most 2048"));
    }

    @Test
    void theConditionIsASizeAsInThePolicyFile() throws Exception {
        assertThat(matcher(new Limit(1, Mode.ENFORCE), "1K").match(mailOf(1024)))
                .isEmpty();
        assertThat(matcher(new Limit(1, Mode.ENFORCE), "1K").match(mailOf(1025)))
                .hasSize(2);
    }

    @Test
    void offAndObserveSelectNothing() throws Exception {
        assertThat(matcher(Limit.off(), null).match(mailOf(1L << 30))).isEmpty();
        assertThat(matcher(new Limit(10, Mode.OBSERVE), null).match(mailOf(11))).isEmpty();
    }

    @Test
    void mailTheSessionCheckedAgainstThePolicyCapPassesWhateverJamesAddedToIt() throws Exception {
        Mail mail = mailOf(2048 + 400);
        mail.setAttribute(new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(2048L)));

        assertThat(matcher(new Limit(2048, Mode.ENFORCE), null).match(mail)).isEmpty();
    }

    @Test
    void anExplicitCapMeasuresTheBytesTheSessionCounted() throws Exception {
        Mail counted = mailOf(1024 + 400);
        counted.setAttribute(new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(1024L)));
        Mail over = mailOf(1025 + 400);
        over.setAttribute(new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(1025L)));

        assertThat(matcher(Limit.off(), "1K").match(counted)).isEmpty();
        assertThat(matcher(Limit.off(), "1K").match(over)).hasSize(2);
        assertThat(OverCap.of(over)).contains(new OverCap("5.3.4", 552, "Message too big: 1025 bytes, at most 1024"));
    }

    @Test
    void aBadSizeStopsStartUpWithOneClearLine() {
        assertThatThrownBy(() -> matcher(Limit.off(), "12Q"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "SMTP Shield refuses to start: mailetcontainer.xml: matcher io.github.smtpshield.mailets.MessageTooBig=12Q:"
                                + " unknown size unit (K, M, G or none for bytes): '12Q'");
    }
}
