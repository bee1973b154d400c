package io.github.smtpshield.james;

import io.github.smtpshield.audit.OpenRelayVerdict;
import io.github.smtpshield.audit.ProxyTrustVerdict;
import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.audit.conf.UnreadableConfException;
import io.github.smtpshield.policy.config.RelaySettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the SMTP listeners of {@code smtpserver.xml} (with the audit's reader) and stops start-up when one would be
 * an open relay, or would believe the PROXY header of any peer (the audit's verdicts).
 */
final class ListenerGuard {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    private final JamesConf conf;

    ListenerGuard(JamesConf conf) {
        this.conf = conf;
    }

    void check(ShieldConfig policy) throws UnreadableConfException {
        List<SmtpListener> listeners = enabledListeners();
        List<String> untrustedProxies = listeners.stream()
                .map(listener -> ProxyTrustVerdict.of(listener, policy.trustedProxies()))
                .filter(ProxyTrustVerdict::untrusted)
                .map(verdict -> verdict.refusal(SmtpListener.FILE))
                .toList();
        if (!untrustedProxies.isEmpty()) {
            throw StartupGuard.refuse(String.join(" ", untrustedProxies));
        }
        RelaySettings relay = policy.relay();
        List<String> openRelays = listeners.stream()
                .map(OpenRelayVerdict::of)
                .filter(OpenRelayVerdict::open)
                .map(verdict -> verdict.refusal(SmtpListener.FILE))
                .toList();
        if (openRelays.isEmpty()) {
            return;
        }
        if (relay.allowOpenRelay()) {
            openRelays.forEach(line -> LOGGER.warn("SMTP Shield: allowOpenRelay is true, starting anyway: {}", line));
            return;
        }
        throw StartupGuard.refuse(String.join(" ", openRelays));
    }

    private List<SmtpListener> enabledListeners() throws UnreadableConfException {
        String source = conf.displayName(SmtpListener.FILE);
        try (InputStream in = conf.open(SmtpListener.FILE)) {
            return SmtpListener.read(in, source);
        } catch (FileNotFoundException e) {
            return List.of(); // James runs no SMTP server then
        } catch (IOException e) {
            throw new UnreadableConfException(source + ": cannot read file: " + e.getMessage(), e);
        }
    }
}
