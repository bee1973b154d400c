package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.MailetContainer;
import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.audit.conf.UnreadableConfException;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.net.NetworkSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Audits a James configuration folder against Kerio Connect's SMTP security checklist: one {@link Finding} per item
 * (per listener, per RemoteDelivery where it applies), OK, WARN or FAIL, naming the file and element to change.
 * It reads {@code smtpserver.xml} and {@code mailetcontainer.xml} (both required), {@code smtpshield.xml},
 * {@code webadmin.properties} and {@code extensions.properties}, and changes nothing.
 *
 * <p>FAIL is kept for what opens the server to abuse: an open relay, mail for remote domains sent on without
 * authentication, passwords accepted in clear, a PROXY header believed from any peer, exemptions covering every address, WebAdmin on the network without
 * authentication, a policy file James would refuse. A protection that is off or only observing is a WARN.
 */
public final class KerioAudit {
    private KerioAudit() {}

    /** The checklist for the conf folder {@code conf}, in a fixed order. */
    public static List<Finding> of(Path conf) throws UnreadableConfException {
        if (!Files.isDirectory(conf) || !Files.isReadable(conf)) {
            throw new UnreadableConfException(conf + ": not a readable folder");
        }
        for (String required : List.of(SmtpListener.FILE, MailetContainer.FILE)) {
            if (!Files.isReadable(conf.resolve(required))) {
                throw new UnreadableConfException(
                        conf.resolve(required) + ": cannot read file (is " + conf + " a James conf folder?)");
            }
        }
        List<SmtpListener> listeners = SmtpListener.read(conf.resolve(SmtpListener.FILE));
        MailetContainer mailets = MailetContainer.read(conf.resolve(MailetContainer.FILE));
        Findings findings = new Findings();
        Optional<ShieldConfig> policy = PolicyItems.policy(conf, findings);

        listeners.forEach(listener -> RelayItems.openRelay(listener, findings));
        listeners.forEach(listener -> RelayItems.relayForOutsiders(listener, findings));
        RelayItems.relayInMailetContainer(mailets, findings);
        listeners.forEach(listener -> RelayItems.authWithoutTls(listener, findings));
        NetworkSet trustedProxies = policy.map(ShieldConfig::trustedProxies).orElse(NetworkSet.empty());
        listeners.forEach(listener -> RelayItems.proxyFromUntrustedPeers(listener, trustedProxies, findings));
        PolicyItems.shieldGuards(listeners, findings);
        policy.ifPresent(p -> PolicyItems.exemptions(p, findings));
        RuleChecks.judge(policy, listeners, findings);
        OutboundItems.outboundTls(mailets, findings);
        OutboundItems.sharedQueues(mailets, findings);
        WebAdminItem.webAdmin(conf, findings);
        return findings.toList();
    }

    /** 0 with no FAIL, 1 otherwise (the command's exit status; 2, unreadable, is the caller's). */
    public static int exitStatus(List<Finding> findings) {
        return findings.stream().anyMatch(finding -> finding.verdict() == Verdict.FAIL) ? 1 : 0;
    }
}
