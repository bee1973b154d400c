package io.github.smtpshield.smtp;

import java.util.Collection;
import java.util.List;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;

/**
 * Makes James's {@code <auth><requireSSL>true</requireSSL>} mean what it says: AUTH on a connection that is not
 * encrypted gets {@code 538 5.7.11 Encryption required} (RFC 4954). James 3.8.1 only stops announcing AUTH before
 * STARTTLS and still accepts it in clear. Part of {@link ShieldCoreHandlers} and {@link SubmissionCoreHandlers}.
 */
public class AuthRequiresTls implements CommandHandler<SMTPSession> {

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (session.isTLSStarted() || !onlyOverTls(session)) {
            return null;
        }
        return new SMTPResponse(
                SMTPRetCode.AUTH_ENCRYPTION_REQUIRED,
                DSNStatus.getStatus(DSNStatus.PERMANENT, "7.11") + " Encryption required: use STARTTLS before AUTH");
    }

    /** James announces AUTH to this client over TLS but not in clear: that is what requireSSL does. */
    private static boolean onlyOverTls(SMTPSession session) {
        SMTPConfiguration configuration = session.getConfiguration();
        String client = session.getRemoteAddress().getAddress().getHostAddress();
        return configuration.isAuthAnnounced(client, true) && !configuration.isAuthAnnounced(client, false);
    }

    @Override
    public Collection<String> getImplCommands() {
        return List.of("AUTH");
    }
}
