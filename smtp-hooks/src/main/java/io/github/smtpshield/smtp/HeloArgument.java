package io.github.smtpshield.smtp;

import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HeloHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * Refuses a HELO/EHLO argument that is not one word of printable ASCII of at most 255 octets with
 * {@code 501 5.5.4}: James 3.8.1 takes any argument, echoes it and writes it into the topmost {@code Received:} header,
 * so {@code EHLO evil.test\rAuthentication-Results: ...} forged header fields. Underscores, bare labels
 * ({@code localhost}) and address literals stay allowed: real clients send them. Part of {@link ShieldCoreHandlers}
 * (where the refusal counts as a failed command) and {@link SubmissionCoreHandlers}.
 */
public class HeloArgument implements HeloHook {
    /** RFC 5321's longest domain (section 4.5.3.1.2). */
    static final int MAX_OCTETS = 255;

    private static final HookResult INVALID = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.SYNTAX_ERROR_ARGUMENTS)
            .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.DELIVERY_INVALID_ARG)
                    + " Invalid HELO/EHLO argument: one domain name or address literal, printable ASCII")
            .build();

    @Override
    public HookResult doHelo(SMTPSession session, String helo) {
        if (isValid(helo)) {
            return HookResult.DECLINED;
        }
        // James kept the name before asking the hooks: no Received: header may carry it, and the client greets again.
        session.removeAttachment(SMTPSession.CURRENT_HELO_NAME, ProtocolSession.State.Connection);
        session.removeAttachment(SMTPSession.CURRENT_HELO_MODE, ProtocolSession.State.Connection);
        return INVALID;
    }

    /** Printable ASCII without spaces (James decodes 8-bit bytes as U+FFFD), at most 255 of them. */
    static boolean isValid(String helo) {
        return helo.length() <= MAX_OCTETS && helo.chars().allMatch(c -> c > ' ' && c < 0x7f);
    }
}
