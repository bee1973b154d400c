package io.github.smtpshield.smtp;

import java.util.EnumMap;
import java.util.Map;

import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;

/**
 * The one table that turns the policy's refusals into SMTP replies: code, RFC 3463 enhanced status, text
 * ({@code %s} is the client's address) and whether the connection closes. The README's reply table is this one.
 */
final class Replies {
    private record Reply(String code, String status, String text, boolean closes) {
        String line(ClientConnection client) {
            return status + " " + String.format(text, client.address().getHostAddress());
        }
    }

    private static final Map<Refusal, Reply> TABLE = new EnumMap<>(Refusal.class);

    static {
        TABLE.put(Refusal.TOO_MANY_CONNECTIONS, new Reply(SMTPRetCode.SERVICE_NOT_AVAILABLE,
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_OTHER), "Too many connections from %s", true));
        TABLE.put(Refusal.BLOCKED, new Reply(SMTPRetCode.SERVICE_NOT_AVAILABLE,
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH), "Connections from %s are blocked, try again later", true));
        TABLE.put(Refusal.DIRECTORY_HARVEST, new Reply(SMTPRetCode.SERVICE_NOT_AVAILABLE,
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH), "Too many unknown recipients from %s: directory harvest attack", true));
        TABLE.put(Refusal.TOO_MUCH_MAIL, new Reply(SMTPRetCode.MAILBOX_TEMP_UNAVAILABLE,
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH), "Too much mail from %s, try again later", false));
        TABLE.put(Refusal.STORE_UNAVAILABLE, new Reply(SMTPRetCode.LOCAL_ERROR,
            DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_OTHER), "Service temporarily unavailable for %s, try again later", true));
    }

    private Replies() {
    }

    /** The reply as a protocol response (for connect handlers and result handlers). */
    static SMTPResponse response(Refusal refusal, ClientConnection client) {
        Reply reply = reply(refusal);
        SMTPResponse response = new SMTPResponse(reply.code(), reply.line(client));
        response.setEndSession(reply.closes());
        return response;
    }

    /** The reply as a hook result (for MAIL, RCPT and message hooks). */
    static HookResult hookResult(Refusal refusal, ClientConnection client) {
        Reply reply = reply(refusal);
        HookReturnCode.Action action = reply.code().startsWith("4") ? HookReturnCode.Action.DENYSOFT : HookReturnCode.Action.DENY;
        return HookResult.builder()
            .hookReturnCode(reply.closes() ? HookReturnCode.disconnected(action) : HookReturnCode.connected(action))
            .smtpReturnCode(reply.code())
            .smtpDescription(reply.line(client))
            .build();
    }

    private static Reply reply(Refusal refusal) {
        Reply reply = TABLE.get(refusal);
        if (reply == null) {
            throw new IllegalStateException("No SMTP reply for " + refusal);
        }
        return reply;
    }
}
