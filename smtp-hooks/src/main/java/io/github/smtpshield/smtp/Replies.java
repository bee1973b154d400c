package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import java.net.InetAddress;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * Writes a refusal's reply, which its rule declares, in James's two forms: a protocol response (for connect handlers
 * and result handlers) and a hook result (for MAIL, RCPT and message hooks).
 */
final class Replies {
    private Replies() {}

    static SMTPResponse response(Refusal refusal, ClientConnection client) {
        return response(refusal, client.address());
    }

    /** For a peer that is no client of the policy (an untrusted proxy). */
    static SMTPResponse response(Refusal refusal, InetAddress peer) {
        Reply reply = refusal.reply();
        SMTPResponse response = new SMTPResponse(reply.code(), reply.line(peer));
        response.setEndSession(reply.closes());
        return response;
    }

    static HookResult hookResult(Refusal refusal, ClientConnection client) {
        return hookResult(refusal, client.address());
    }

    static HookResult hookResult(Refusal refusal, InetAddress client) {
        Reply reply = refusal.reply();
        HookReturnCode.Action action = reply.temporary() ? HookReturnCode.Action.DENYSOFT : HookReturnCode.Action.DENY;
        return HookResult.builder()
                .hookReturnCode(reply.closes() ? HookReturnCode.disconnected(action) : HookReturnCode.connected(action))
                .smtpReturnCode(reply.code())
                .smtpDescription(reply.line(client))
                .build();
    }
}
