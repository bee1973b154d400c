package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.Inet6Address;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * MAIL FROM, with the domain of the sender as the client wrote it.
 *
 * <p>James 3.8.1 hooks are synchronous and run on the listener's Netty event loop, so this hook waits there for the
 * policy's answer. The wait is bounded: the shield's DNS lookups never block (they run on the DNS client's own
 * threads) and the answer comes within twice the {@code <dns>} timeout (the sender's domain needs up to two lookup
 * rounds; the PTR lookup started at connect). Meanwhile the other connections of that event loop wait too: keep the
 * timeout short and the resolver near (see the README).
 */
public class MailFromHook implements MailHook {
    private final Shield shield;

    @Inject
    public MailFromHook(Shield shield) {
        this.shield = shield;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return ClientSessions.hookResult(shield, session, new MailFrom(domainOf(sender)));
    }

    /**
     * The domain as the client wrote it. James keeps an address literal {@code [192.0.2.1]} without its brackets;
     * they are put back, so that the policy knows it for a literal (not looked up) and not a domain name.
     */
    private static Optional<String> domainOf(MaybeSender sender) {
        return sender.asOptional()
                .map(MailAddress::getDomain)
                .map(domain -> domain.asString())
                .map(MailFromHook::literalWithBrackets);
    }

    private static String literalWithBrackets(String domain) {
        return IpPrefix.address(domain)
                .map(address -> address instanceof Inet6Address ? "[IPv6:" + domain + "]" : "[" + domain + "]")
                .orElse(domain);
    }
}
