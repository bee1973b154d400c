package io.github.smtpshield.smtp;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.SecurityLog;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.RuleSettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.store.MemoryClientStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.smtp.SMTPConfigurationImpl;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.SMTPSessionImpl;

/** James sessions (on a transport that is never used) of a client the shield admitted, and shields for them. */
final class Sessions {
    private Sessions() {}

    /** A shield whose only rule is the one of {@code element}. */
    static <S extends RuleSettings> Shield shield(RuleElement<S> element, S settings) {
        return new Shield(
                ShieldConfig.defaults().with(element, settings),
                MemoryClientStore.builder().build(),
                new Enforcement(new SecurityLog(), ShieldMetrics.NONE));
    }

    static SMTPSession admitted(Shield shield, String ip) {
        return admitted(shield, ip, mock(ProtocolTransport.class));
    }

    static SMTPSession admitted(Shield shield, String ip, ProtocolTransport transport) {
        try {
            InetAddress address = InetAddress.getByName(ip);
            when(transport.getRemoteAddress()).thenReturn(new InetSocketAddress(address, 40000));
            SMTPSession session = new SMTPSessionImpl(transport, new SMTPConfigurationImpl());
            ClientSessions.remember(session, shield.connection(address));
            return session;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
