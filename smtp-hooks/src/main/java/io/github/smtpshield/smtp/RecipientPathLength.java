package io.github.smtpshield.smtp;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Refuses a recipient whose path is longer than RFC 5321 allows (256 octets, brackets included: section 4.5.3.1.3)
 * with its {@code 501 5.1.3 Path too long}. Listed before James's {@code ValidRcptHandler} in {@code smtpserver.xml}:
 * James 3.8.1 cannot look such a name up (a user name has at most 255 characters), logs an ERROR with a stack trace
 * and answers {@code 451 4.0.0 Unexpected error}, a temporary failure the client retries forever.
 */
public class RecipientPathLength implements RcptHook {
    static final int MAX_PATH_OCTETS = 256;

    private static final HookResult PATH_TOO_LONG = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.SYNTAX_ERROR_ARGUMENTS)
            .smtpDescription(DSNStatus.getStatus(DSNStatus.PERMANENT, DSNStatus.ADDRESS_SYNTAX) + " Path too long")
            .build();

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        // "<" + address + ">"; MailAddress keeps ASCII here (James refuses 8-bit addresses before hooks run).
        return rcpt.asString().length() + 2 > MAX_PATH_OCTETS ? PATH_TOO_LONG : HookResult.DECLINED;
    }
}
