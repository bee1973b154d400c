package io.github.smtpshield.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.junit.jupiter.api.Test;

/** Found by HostileSessionsIT: {@code RCPT TO:<300 x "l"@localhost>} made James answer 451 and log a stack trace. */
class RecipientPathLengthTest {
    private final RecipientPathLength hook = new RecipientPathLength();

    private HookResult rcpt(String address) throws Exception {
        return hook.doRcpt(null, MaybeSender.nullSender(), new MailAddress(address));
    }

    @Test
    void aPathOf256OctetsIsLeftToTheOtherHooks() throws Exception {
        String address = "l".repeat(254 - "@localhost".length()) + "@localhost"; // + "<>" = 256

        assertThat(rcpt(address)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aPathOf257OctetsIsRefused() throws Exception {
        HookResult result = rcpt("l".repeat(255 - "@localhost".length()) + "@localhost");

        assertThat(result.getSmtpRetCode()).isEqualTo("501");
        assertThat(result.getSmtpDescription()).isEqualTo("5.1.3 Path too long");
    }
}
