package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import java.util.EnumMap;
import java.util.Map;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

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

    /** RFC 7372 X.7.25 "Reverse DNS validation failed" (James's DSNStatus predates it). */
    private static final String REVERSE_DNS_FAILED = "7.25";
    /** RFC 7505 X.7.27 "Sender address has null MX". */
    private static final String SENDER_NULL_MX = "7.27";

    private static final Map<Refusal, Reply> TABLE = new EnumMap<>(Refusal.class);

    static {
        TABLE.put(
                Refusal.TOO_MANY_CONNECTIONS,
                new Reply(
                        SMTPRetCode.SERVICE_NOT_AVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_OTHER),
                        "Too many connections from %s",
                        true));
        TABLE.put(
                Refusal.BLOCKED,
                new Reply(
                        SMTPRetCode.SERVICE_NOT_AVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH),
                        "Connections from %s are blocked, try again later",
                        true));
        TABLE.put(
                Refusal.DIRECTORY_HARVEST,
                new Reply(
                        SMTPRetCode.SERVICE_NOT_AVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH),
                        "Too many unknown recipients from %s: directory harvest attack",
                        true));
        TABLE.put(
                Refusal.TOO_MUCH_MAIL,
                new Reply(
                        SMTPRetCode.MAILBOX_TEMP_UNAVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_AUTH),
                        "Too much mail from %s, try again later",
                        false));
        TABLE.put(
                Refusal.TOO_MANY_FAILED_COMMANDS,
                new Reply(
                        SMTPRetCode.SERVICE_NOT_AVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SECURITY_OTHER),
                        "Too many errors from %s, closing connection",
                        true));
        TABLE.put(
                Refusal.TOO_MANY_RECIPIENTS,
                new Reply(
                        SMTPRetCode.SYSTEM_STORAGE_ERROR,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.DELIVERY_TOO_MANY_REC),
                        "Too many recipients, send the rest in another message",
                        false));
        TABLE.put(
                Refusal.MESSAGE_TOO_BIG,
                new Reply(
                        SMTPRetCode.QUOTA_EXCEEDED,
                        DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.SYSTEM_MSG_TOO_BIG),
                        "Message size exceeds fixed limit",
                        false));
        TABLE.put(
                Refusal.UNKNOWN_SENDER_DOMAIN,
                new Reply(
                        SMTPRetCode.MAILBOX_PERM_UNAVAILABLE,
                        DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_SYSTEM_SENDER),
                        "Sender address rejected: domain not found in DNS",
                        false));
        TABLE.put(
                Refusal.NULL_MX_SENDER_DOMAIN,
                new Reply(
                        SMTPRetCode.MAILBOX_PERM_UNAVAILABLE,
                        DSNStatus.getStatus(DSNStatus.PERMANENT, SENDER_NULL_MX),
                        "Sender address rejected: domain accepts no mail (null MX)",
                        false));
        TABLE.put(
                Refusal.SENDER_DOMAIN_UNVERIFIED,
                new Reply(
                        SMTPRetCode.MAILBOX_TEMP_UNAVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.ADDRESS_SYSTEM_SENDER),
                        "Sender domain could not be checked in DNS, try again later",
                        false));
        TABLE.put(
                Refusal.NO_PTR,
                new Reply(
                        SMTPRetCode.MAILBOX_PERM_UNAVAILABLE,
                        DSNStatus.getStatus(DSNStatus.PERMANENT, REVERSE_DNS_FAILED),
                        "Client address %s has no reverse DNS (PTR)",
                        false));
        TABLE.put(
                Refusal.PTR_UNVERIFIED,
                new Reply(
                        SMTPRetCode.MAILBOX_TEMP_UNAVAILABLE,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, REVERSE_DNS_FAILED),
                        "Reverse DNS of %s could not be checked, try again later",
                        false));
        TABLE.put(
                Refusal.STORE_UNAVAILABLE,
                new Reply(
                        SMTPRetCode.LOCAL_ERROR,
                        DSNStatus.getStatus(DSNStatus.TRANSIENT, DSNStatus.SYSTEM_OTHER),
                        "Service temporarily unavailable for %s, try again later",
                        true));
    }

    private Replies() {}

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
        HookReturnCode.Action action =
                reply.code().startsWith("4") ? HookReturnCode.Action.DENYSOFT : HookReturnCode.Action.DENY;
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
