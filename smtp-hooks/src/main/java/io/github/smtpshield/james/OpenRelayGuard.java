package io.github.smtpshield.james;

import io.github.smtpshield.policy.config.RelaySettings;
import io.github.smtpshield.policy.relay.OpenRelayCheck;
import java.util.List;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the SMTP listeners of {@code smtpserver.xml} and stops start-up when one would be an open relay. */
final class OpenRelayGuard {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");
    private static final String FILE = "smtpserver.xml";

    private final ConfigurationProvider configurationProvider;

    OpenRelayGuard(ConfigurationProvider configurationProvider) {
        this.configurationProvider = configurationProvider;
    }

    void check(RelaySettings relay) throws ConfigurationException {
        List<String> openRelays = OpenRelayCheck.openRelays(FILE, enabledListeners());
        if (openRelays.isEmpty()) {
            return;
        }
        if (relay.allowOpenRelay()) {
            openRelays.forEach(line -> LOGGER.warn("SMTP Shield: allowOpenRelay is true, starting anyway: {}", line));
            return;
        }
        throw StartupGuard.refuse(String.join(" ", openRelays));
    }

    private List<OpenRelayCheck.Listener> enabledListeners() throws ConfigurationException {
        HierarchicalConfiguration<ImmutableNode> smtpServers = configurationProvider.getConfiguration("smtpserver");
        return smtpServers.configurationsAt("smtpserver").stream()
                .filter(server -> server.getBoolean("[@enabled]", true))
                .map(server -> new OpenRelayCheck.Listener(
                        server.getString("jmxName", "smtpserver"),
                        server.getString("bind", "0.0.0.0:25"),
                        server.getString("authorizedAddresses", "")))
                .toList();
    }
}
