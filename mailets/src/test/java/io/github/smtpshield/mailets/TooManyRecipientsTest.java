package io.github.smtpshield.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import java.util.stream.IntStream;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class TooManyRecipientsTest {

    private static TooManyRecipients matcher(Limit policyCap, String condition) throws MessagingException {
        TooManyRecipients matcher =
                new TooManyRecipients(Policies.withCaps(policyCap, Limit.off()), Policies.ENFORCEMENT);
        matcher.init(FakeMatcherConfig.builder()
                .matcherName("TooManyRecipients")
                .condition(condition)
                .build());
        return matcher;
    }

    private static Mail mailTo(int recipients) throws MessagingException {
        return FakeMail.builder()
                .name("m" + recipients)
                .sender("sender@example.test")
                .recipients(IntStream.rangeClosed(1, recipients)
                        .mapToObj(i -> "user" + i + "@example.test")
                        .toArray(String[]::new))
                .build();
    }

    @Test
    void aCapOfNLetsNRecipientsThrough() throws Exception {
        assertThat(matcher(new Limit(3, Mode.ENFORCE), null).match(mailTo(3))).isEmpty();
    }

    @Test
    void selectsEveryRecipientOfAMailWithNPlusOne() throws Exception {
        Mail mail = mailTo(4);

        assertThat(matcher(new Limit(3, Mode.ENFORCE), null).match(mail))
                .containsExactlyElementsOf(mail.getRecipients());
        assertThat(OverCap.of(mail))
                .contains(new OverCap("5.5.3", 550, "Too many recipients: 4, at most 3 per message"));
    }

    @Test
    void theConditionOverridesThePolicy() throws Exception {
        assertThat(matcher(new Limit(100, Mode.ENFORCE), "2").match(mailTo(3))).hasSize(3);
        assertThat(matcher(new Limit(1, Mode.ENFORCE), "5").match(mailTo(3))).isEmpty();
    }

    @Test
    void aCapOfZeroIsOff() throws Exception {
        assertThat(matcher(Limit.off(), null).match(mailTo(500))).isEmpty();
        assertThat(matcher(new Limit(3, Mode.ENFORCE), "0").match(mailTo(500))).isEmpty();
    }

    @Test
    void inObserveModeItOnlyLogs() throws Exception {
        Mail mail = mailTo(4);

        assertThat(matcher(new Limit(3, Mode.OBSERVE), null).match(mail)).isEmpty();
        assertThat(OverCap.of(mail)).isEmpty();
    }

    @Test
    void aBadConditionStopsStartUpWithOneClearLine() {
        assertThatThrownBy(() -> matcher(Limit.off(), "lots"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "SMTP Shield refuses to start: mailetcontainer.xml: matcher io.github.smtpshield.mailets.TooManyRecipients=lots:"
                                + " not a whole number of recipients: 'lots'");
        assertThatThrownBy(() -> matcher(Limit.off(), "-3"))
                .hasMessageEndingWith("the recipient cap must not be negative: '-3'");
        // The policy's reader: no sign, no overflow.
        assertThatThrownBy(() -> matcher(Limit.off(), "+5"))
                .hasMessageEndingWith("not a whole number of recipients: '+5'");
        assertThatThrownBy(() -> matcher(Limit.off(), "99999999999999999999"))
                .hasMessageEndingWith("not a whole number of recipients: '99999999999999999999'");
    }

    @Test
    void withoutPolicyNorConditionItRefusesToStart() {
        TooManyRecipients matcher = new TooManyRecipients();

        assertThatThrownBy(() -> matcher.init(FakeMatcherConfig.builder()
                        .matcherName("TooManyRecipients")
                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("no cap: give one as its condition");
    }

    @Test
    void worksWithoutThePolicyWhenGivenACondition() throws Exception {
        TooManyRecipients matcher = new TooManyRecipients();
        matcher.init(FakeMatcherConfig.builder()
                .matcherName("TooManyRecipients")
                .condition("1")
                .build());

        assertThat(matcher.match(mailTo(2))).hasSize(2);
    }
}
