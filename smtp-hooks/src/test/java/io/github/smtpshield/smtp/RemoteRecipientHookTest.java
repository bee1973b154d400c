package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.rules.RecipientLimit;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemoteRecipientHookTest {
    private final DomainList domains = mock(DomainList.class);
    private final Shield shield = Sessions.shield(RecipientLimit.ELEMENT, Limit.off());
    private final SMTPSession session = Sessions.admitted(shield, "192.0.2.20");
    private final RemoteRecipientHook hook =
            new RemoteRecipientHook(domains, new Enforcement(new SecurityLog(), ShieldMetrics.NONE));

    @BeforeEach
    void localDomain() throws Exception {
        when(domains.containsDomain(Domain.of("example.test"))).thenReturn(true);
    }

    private HookResult rcpt(String recipient) throws Exception {
        return hook.doRcpt(session, MaybeSender.getMailSender("someone@sender.test"), new MailAddress(recipient));
    }

    @Test
    void aRemoteRecipientOfAClientThatMayNotRelayGetsRelayingDenied() throws Exception {
        HookResult denied = rcpt("user@remote.test");

        assertThat(denied.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(denied.getSmtpRetCode()).isEqualTo("550");
        assertThat(denied.getSmtpDescription()).isEqualTo("5.7.1 Relaying denied");
    }

    @Test
    void aLocalRecipientAndAClientThatMayRelayAreLeftToTheOtherHooks() throws Exception {
        assertThat(rcpt("alice@example.test")).isEqualTo(HookResult.DECLINED);

        session.setRelayingAllowed(true);
        assertThat(rcpt("user@remote.test")).isEqualTo(HookResult.DECLINED);
    }
}
