package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.RecipientChecks;
import javax.inject.Inject;
import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;

/**
 * RCPT TO a domain that is not one of James's, from a client that may not relay (it neither authenticated nor is in
 * {@code <authorizedAddresses>}): {@code 550 5.7.1 Relaying denied}, before and after STARTTLS, and a line in the
 * security log. It takes the place of James's {@link AuthRequiredToRelayRcptHook} in {@link ShieldCoreHandlers}, which
 * answers {@code 530 5.7.1 Authentication Required} once AUTH is announced (after STARTTLS on port 25): a remote MX
 * reads that as "authenticate at a foreign server". The submission listeners keep James's 530, which is right there.
 */
public class RemoteRecipientHook implements RcptHook {
    private final DomainList domains;
    private final Enforcement enforcement;

    @Inject
    public RemoteRecipientHook(DomainList domains, Enforcement enforcement) {
        this.domains = domains;
        this.enforcement = enforcement;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.isRelayingAllowed() || isLocal(rcpt.getDomain())) {
            return HookResult.DECLINED;
        }
        return ClientSessions.client(session)
                .map(client -> {
                    enforcement.refusedByJames(
                            client, "RCPT", RecipientChecks.RELAYING_DENIED, " (" + rcpt.asString() + ")");
                    return Replies.hookResult(RecipientChecks.RELAYING_DENIED, client);
                })
                // Not admitted (not a guarded session): refused all the same, as James would.
                .orElseGet(() -> Replies.hookResult(
                        RecipientChecks.RELAYING_DENIED,
                        session.getRemoteAddress().getAddress()));
    }

    private boolean isLocal(Domain domain) {
        try {
            return domains.containsDomain(domain);
        } catch (DomainListException e) {
            // As James's relay check: a domain list that cannot answer makes no domain local.
            return false;
        }
    }
}
