package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.BaseRequest;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;
import org.apache.james.protocols.smtp.dsn.DSNStatus;

/**
 * James's AUTH, counting failed authentications that no result handler sees, and ending an exchange that fails.
 * When the credentials come on a continuation line ({@code AUTH LOGIN}, or {@code AUTH PLAIN} without initial
 * response) the reply is written by a line handler that {@link FailedCommandHook} never sees; this handler counts it
 * there. Within the AUTH command itself the reply goes through the result handlers and is counted there. On a
 * listener the policy does not guard ({@link SubmissionCoreHandlers}) no failed command is counted; the mends below
 * hold.
 *
 * <p>On every listener the bans ({@code <bans>}) hear of each check of credentials: before it, a locked account is
 * answered {@code 454 4.7.0} (the password is not checked); after a {@code 535}, the failure is counted per client and
 * per account, and the failure over a limit is answered in place of the {@code 535} ({@code 421 4.7.1} and close, or
 * {@code 454 4.7.0}).
 *
 * <p>Two defects of James 3.8.1's AUTH are mended here, because a hostile client meets them at once:
 * <ul>
 *   <li>an {@code AUTH PLAIN} continuation line that cannot be decoded is answered {@code 501} but the exchange goes
 *       on, so every later line is taken for credentials and answered {@code 501}, never counted (RFC 4954: the
 *       {@code 501} rejects the AUTH command; here it ends the exchange and counts as a failed command);</li>
 *   <li>an {@code AUTH LOGIN} user name that is not base64 or not a user name ({@code a@b@c}) throws out of James's
 *       handler: {@code 451 Unable to process request} and an ERROR with a stack trace (here: {@code 501}).</li>
 * </ul>
 *
 * <p>Credentials that decode to a control character (CR, LF, ESC, ... but PLAIN's NUL separators) are answered
 * {@code 501 5.5.2} and counted, before James sees them: James logs the user name of a failed AUTH, and a LF in it
 * forged a log line. SASLprep (RFC 4013) prohibits control characters in user names and passwords alike.
 */
public class AuthHook extends AuthCmdHandler {
    private static final ProtocolSession.AttachmentKey<Boolean> WITHIN_COMMAND =
            ProtocolSession.AttachmentKey.of("smtpshield.withinAuthCommand", Boolean.class);
    private static final String PLAIN = "PLAIN";
    private static final String LOGIN = "LOGIN";
    private static final Response READY_PLAIN =
            new SMTPResponse(SMTPRetCode.AUTH_READY, "OK. Continue authentication").immutable();
    private static final Response READY_USERNAME = new SMTPResponse(SMTPRetCode.AUTH_READY, "VXNlcm5hbWU6").immutable();
    private static final Response UNDECODABLE_LOGIN = new SMTPResponse(
                    SMTPRetCode.SYNTAX_ERROR_ARGUMENTS, "Could not decode parameters for AUTH LOGIN")
            .immutable();
    private static final Response ABORTED = new SMTPResponse(
                    SMTPRetCode.SYNTAX_ERROR_ARGUMENTS,
                    DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SECURITY_AUTH) + " Authentication aborted")
            .immutable();
    private static final Response CONTROL_CHARACTER = new SMTPResponse(
                    SMTPRetCode.SYNTAX_ERROR_ARGUMENTS,
                    DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.DELIVERY_SYNTAX)
                            + " Control characters are not allowed in credentials")
            .immutable();

    private final Shield shield;

    @Inject
    public AuthHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        String argument = request.getArgument();
        if (session.getUsername() == null
                && argument != null
                && session.getConfiguration().isPlainAuthEnabled()) {
            int space = argument.indexOf(' ');
            String mechanism = (space > 0 ? argument.substring(0, space) : argument).toUpperCase(Locale.US);
            if (space <= 0 && (mechanism.equals(PLAIN) || mechanism.equals(LOGIN))) {
                session.pushLineHandler(new Continuation(mechanism));
                return mechanism.equals(PLAIN) ? READY_PLAIN : READY_USERNAME;
            }
            if (space > 0 && (mechanism.equals(PLAIN) || mechanism.equals(LOGIN))) {
                String initialResponse = argument.substring(space + 1).trim();
                if (carriesControlCharacter(mechanism, initialResponse)) {
                    return CONTROL_CHARACTER;
                }
                if (mechanism.equals(LOGIN) && !isUsername(initialResponse)) {
                    return UNDECODABLE_LOGIN;
                }
            }
        }
        return withinCommand(session, request);
    }

    private Response withinCommand(SMTPSession session, Request request) {
        session.setAttachment(WITHIN_COMMAND, Boolean.TRUE, ProtocolSession.State.Connection);
        try {
            return super.onCommand(session, request);
        } finally {
            session.removeAttachment(WITHIN_COMMAND, ProtocolSession.State.Connection);
        }
    }

    @Override
    protected Response doAuthTest(SMTPSession session, Username username, String pass, String authType) {
        // AUTH LOGIN's password line reaches James's own line handler: its control characters are caught here.
        if (pass != null && pass.codePoints().anyMatch(AuthHook::isControlCharacter)) {
            return countedOnContinuationLine(session, CONTROL_CHARACTER);
        }
        Optional<ClientConnection> client = ClientSessions.authClient(session);
        if (client.isEmpty() || username == null) {
            return countedOnContinuationLine(session, super.doAuthTest(session, username, pass, authType));
        }
        String account = Shield.caseFolded(username.asString());
        // A locked account is refused before its password is checked: the right one too.
        Optional<Refusal> locked =
                shield.on(client.get(), new SmtpEvent.AuthAttempt(account)).join();
        if (locked.isPresent()) {
            return countedOnContinuationLine(session, Replies.response(locked.get(), client.get()));
        }
        Response response = super.doAuthTest(session, username, pass, authType);
        if (SMTPRetCode.AUTH_FAILED.equals(response.getRetCode())) {
            Optional<Refusal> refusal =
                    shield.on(client.get(), new SmtpEvent.AuthFailed(account)).join();
            if (refusal.isPresent()) {
                response = Replies.response(refusal.get(), client.get());
            }
        }
        return countedOnContinuationLine(session, response);
    }

    @Override
    protected Response doDelegation(SMTPSession session, Username username) {
        return countedOnContinuationLine(session, super.doDelegation(session, username));
    }

    private Response countedOnContinuationLine(SMTPSession session, Response response) {
        if (session.getAttachment(WITHIN_COMMAND, ProtocolSession.State.Connection)
                .isPresent()) {
            return response;
        }
        return FailedCommandHook.counted(shield, session, response);
    }

    /**
     * Whether base64 credentials decode to a control character; PLAIN's NUL separators excepted. Text that is not
     * base64 carries none: James answers it with its own {@code 501}.
     */
    static boolean carriesControlCharacter(String mechanism, String base64) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean plain = mechanism.equals(PLAIN);
        return decoded.codePoints().anyMatch(c -> !(plain && c == 0) && isControlCharacter(c));
    }

    /** C0, DEL and C1 controls (CR, LF, NUL, ESC, NEL ...) and the Unicode line and paragraph separators. */
    private static boolean isControlCharacter(int c) {
        return Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029;
    }

    /** Whether James's AUTH LOGIN can take this base64 text for a user name without throwing. */
    private static boolean isUsername(String base64) {
        try {
            Username.of(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The line after {@code AUTH PLAIN} or {@code AUTH LOGIN} without initial response: handed to James's AUTH as if
     * it had come with the command (which then asks for the password, or checks the credentials and ends the
     * exchange); a line James cannot take ends the exchange with {@code 501}, counted as a failed command.
     */
    private final class Continuation implements LineHandler<SMTPSession> {
        private final String mechanism;

        Continuation(String mechanism) {
            this.mechanism = mechanism;
        }

        @Override
        public Response onLine(SMTPSession session, byte[] line) {
            String text = new String(line, session.getCharset());
            String value = text.endsWith("\r\n")
                    ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            if (value.equals("*")) {
                session.popLineHandler();
                return FailedCommandHook.counted(shield, session, ABORTED);
            }
            if (carriesControlCharacter(mechanism, value.trim())) {
                session.popLineHandler();
                return FailedCommandHook.counted(shield, session, CONTROL_CHARACTER);
            }
            if (mechanism.equals(LOGIN) && !isUsername(value.trim())) {
                session.popLineHandler();
                return FailedCommandHook.counted(shield, session, UNDECODABLE_LOGIN);
            }
            // James ends the exchange (pops this handler) unless PLAIN's credentials could not be decoded (501).
            Response response = AuthHook.super.onCommand(session, new BaseRequest("AUTH", mechanism + " " + value));
            if (mechanism.equals(PLAIN) && SMTPRetCode.SYNTAX_ERROR_ARGUMENTS.equals(response.getRetCode())) {
                session.popLineHandler();
                return FailedCommandHook.counted(shield, session, response);
            }
            return response;
        }
    }
}
