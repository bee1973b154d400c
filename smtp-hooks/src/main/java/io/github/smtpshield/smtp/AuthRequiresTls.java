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
 * encrypted gets {@code 538 5.7.11 Encryption required} (RFC 4954), from every client, those of
 * {@code authorizedAddresses} too. James 3.8.1 only stops announcing AUTH before STARTTLS and still accepts it in clear
 * (from everyone it does not announce AUTH to). Part of {@link ShieldCoreHandlers} and {@link SubmissionCoreHandlers}.
 */
public class AuthRequiresTls implements CommandHandler<SMTPSession> {
    /**
     * Addresses no client sends from (limited broadcast, all-nodes multicast): James announces AUTH to them unless
     * {@code <announce>} is never, or {@code authorizedAddresses} covers every address.
     */
    private static final List<String> NO_CLIENT = List.of("255.255.255.255", "ff02::1");

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (session.isTLSStarted() || !requiresTls(session.getConfiguration())) {
            return null;
        }
        return new SMTPResponse(
                SMTPRetCode.AUTH_ENCRYPTION_REQUIRED,
                DSNStatus.getStatus(DSNStatus.PERMANENT, "7.11") + " Encryption required: use STARTTLS before AUTH");
    }

    /**
     * James keeps requireSSL to itself; its announcement tells it: AUTH announced over TLS but not in clear. It is
     * asked for addresses no listener authorizes, since James announces nothing either way to an authorized client.
     */
    static boolean requiresTls(SMTPConfiguration configuration) {
        return NO_CLIENT.stream()
                .anyMatch(address ->
                        configuration.isAuthAnnounced(address, true) && !configuration.isAuthAnnounced(address, false));
    }

    @Override
    public Collection<String> getImplCommands() {
        return List.of("AUTH");
    }
}
