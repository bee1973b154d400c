package io.github.smtpshield.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.policy.CheckedInSession;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RejectWithDsnTest {
    private FakeMailContext context;

    @BeforeEach
    void setUp() {
        context = FakeMailContext.defaultContext();
    }

    private RejectWithDsn mailet(String... parameters) throws MessagingException {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder()
                .mailetName("RejectWithDsn")
                .mailetContext(context)
                .setProperty("reportingMta", "mx.example.test");
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        RejectWithDsn mailet = new RejectWithDsn();
        mailet.init(config.build());
        return mailet;
    }

    private static Mail mail(String sender, String... recipients) throws MessagingException {
        MimeMessage message = new MimeMessage(javax.mail.Session.getInstance(new java.util.Properties()));
        message.setSubject("quarterly figures");
        message.setText("body");
        message.saveChanges();
        message.setHeader("X-Original-Tag", "tag-42");
        FakeMail.Builder mail =
                FakeMail.builder().name("mail1").recipients(recipients).mimeMessage(message);
        return (sender == null ? mail.sender(MaybeSender.nullSender()) : mail.sender(sender)).build();
    }

    private static String text(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bouncesTooManyRecipientsWith553ToTheSenderAndDeliversNoCopy() throws Exception {
        Mail mail = mail("alice@example.test", "a@remote.test", "b@remote.test", "c@remote.test");
        TooManyRecipients matcher =
                new TooManyRecipients(Policies.withCaps(new Limit(2, Mode.ENFORCE), Limit.off()), Policies.ENFORCEMENT);
        matcher.init(FakeMatcherConfig.builder()
                .matcherName("TooManyRecipients")
                .mailetContext(context)
                .build());
        assertThat(matcher.match(mail)).hasSize(3);

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail dsn = context.getSentMails().get(0);
        assertThat(dsn.getSender()).isNull();
        assertThat(dsn.getRecipients()).extracting(Object::toString).containsExactly("alice@example.test");
        String text = text(dsn.getMsg());
        assertThat(dsn.getMsg().getContentType())
                .startsWith("multipart/report")
                .contains("report-type=delivery-status");
        assertThat(text)
                .contains("Content-Type: message/delivery-status")
                .contains("Reporting-MTA: dns; mx.example.test")
                .contains("Final-Recipient: rfc822; a@remote.test\r\nAction: failed\r\nStatus: 5.5.3\r\n"
                        + "Diagnostic-Code: smtp; 550 5.5.3 Too many recipients: 3, at most 2 per message")
                .contains("Final-Recipient: rfc822; b@remote.test")
                .contains("Final-Recipient: rfc822; c@remote.test")
                .contains("Content-Type: text/rfc822-headers")
                .contains("X-Original-Tag: tag-42")
                .doesNotContain("\r\nbody\r\n");
    }

    @Test
    void bouncesAMessageTooBigWith534() throws Exception {
        Mail mail = mail("alice@example.test", "a@remote.test");
        OverCap.tooBig(30_000, 20_480).storeOn(mail);

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(text(context.getSentMails().get(0).getMsg()))
                .contains(
                        "Status: 5.3.4\r\nDiagnostic-Code: smtp; 552 5.3.4 Message too big: 30000 bytes, at most 20480");
    }

    @Test
    void aMailThatNoCapMatcherMarkedGetsTheConfiguredStatus() throws Exception {
        Mail mail = mail("alice@example.test", "a@remote.test");

        mailet("status", "5.7.2", "reason", "Closed list").service(mail);

        assertThat(text(context.getSentMails().get(0).getMsg()))
                .contains("Status: 5.7.2\r\nDiagnostic-Code: smtp; 550 5.7.2 Closed list");
    }

    @Test
    void aBounceIsNeverBounced() throws Exception {
        Mail mail = mail(null, "a@remote.test");
        OverCap.tooBig(30_000, 20_480).storeOn(mail);

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void unauthenticatedInboundMailOfAGuardedListenerGetsNoDsnItsSenderMayBeForged() throws Exception {
        Mail mail = mail("victim@victim.test", "a@example.test");
        mail.setAttribute(new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(1024L)));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void mailOfAGuardedListenerFromAnAuthenticatedOrAuthorizedClientStillGetsItsDsn() throws Exception {
        Mail authenticated = mail("alice@example.test", "a@remote.test");
        authenticated.setAttribute(
                new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(1024L)));
        authenticated.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of("alice@example.test")));
        Mail authorized = mail("app@example.test", "a@remote.test");
        authorized.setAttribute(new Attribute(AttributeName.of(CheckedInSession.ATTRIBUTE), AttributeValue.of(1024L)));
        authorized.setAttribute(
                new Attribute(AttributeName.of("org.apache.james.SMTPIsAuthNetwork"), AttributeValue.of(true)));

        mailet().service(authenticated);
        mailet().service(authorized);

        assertThat(context.getSentMails())
                .extracting(sent -> sent.getRecipients().iterator().next().asString())
                .containsExactly("alice@example.test", "app@example.test");
    }

    @Test
    void withoutAttachmentTheOriginalHeaderStaysOut() throws Exception {
        Mail mail = mail("alice@example.test", "a@remote.test");

        mailet("attachment", "none").service(mail);

        assertThat(text(context.getSentMails().get(0).getMsg())).doesNotContain("text/rfc822-headers");
    }

    @Test
    void badParametersStopStartUpWithOneClearLine() {
        assertThatThrownBy(() -> mailet("statut", "5.5.3"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "SMTP Shield refuses to start: mailetcontainer.xml: mailet io.github.smtpshield.mailets.RejectWithDsn:"
                                + " unknown parameter <statut> (known: status, reason, attachment, reportingMta)");
        assertThatThrownBy(() -> mailet("status", "4.5.3"))
                .hasMessageEndingWith("<status> must be a permanent RFC 3463 status such as 5.7.1: '4.5.3'");
        assertThatThrownBy(() -> mailet("attachment", "message"))
                .hasMessageEndingWith("<attachment> must be headers or none: 'message'");
    }
}
