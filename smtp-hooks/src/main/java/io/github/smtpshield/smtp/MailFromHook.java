package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.net.IpPrefix;
import java.net.Inet6Address;
import java.util.Optional;
import javax.inject.Inject;
import javax.mail.internet.AddressException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * MAIL FROM, with the domain of the sender as the client wrote it.
 *
 * <p>James 3.8.1 hooks are synchronous and run on the listener's Netty event loop, shared by many connections: this
 * hook must not wait there for DNS. {@link LookupHold} has held the command until the shield's lookups were in, so the
 * policy answers at once. (Only a command it could not read ahead, which James refuses anyway, would wait, within
 * the {@code <dns>} timeout.)
 */
public class MailFromHook implements MailHook {
    private static final String FROM = "FROM:";

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
     * The event of a MAIL command's argument ({@code FROM:<address> parameters}), read ahead of James, as this hook
     * will see it; empty when the address cannot be read (James then refuses the command without calling hooks).
     */
    static Optional<SmtpEvent> event(String argument) {
        if (argument == null || !argument.regionMatches(true, 0, FROM, 0, FROM.length())) {
            return Optional.empty();
        }
        String path = argument.substring(FROM.length()).trim();
        int open = path.indexOf('<');
        int close = path.indexOf('>', open + 1);
        String address = open == 0 && close > 0 ? path.substring(1, close) : path.split(" ", 2)[0];
        if (address.isEmpty()) {
            return Optional.of(new MailFrom(Optional.empty()));
        }
        try {
            return Optional.of(new MailFrom(domainOf(MaybeSender.of(new MailAddress(address)))));
        } catch (AddressException unreadable) {
            return Optional.empty();
        }
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
