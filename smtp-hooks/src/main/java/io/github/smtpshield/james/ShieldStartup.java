package io.github.smtpshield.james;

import io.github.smtpshield.audit.Finding;
import io.github.smtpshield.audit.KerioAudit;
import io.github.smtpshield.audit.conf.UnreadableConfException;
import io.github.smtpshield.policy.config.ShieldConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.utils.UserDefinedStartable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up hook ({@code guice.extension.startable} in {@code conf/extensions.properties}). Being built by the
 * extension injector, it makes James load and check the policy at start-up even when no listener uses the
 * shield yet, logs what the shield enforces, and logs the Kerio audit of the conf folder once (the findings of
 * {@code bin/smtp-shield audit}: OK at INFO, WARN at WARN, FAIL at ERROR).
 */
public class ShieldStartup implements UserDefinedStartable {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    private final ShieldConfig config;
    private final JamesConf conf;

    @Inject
    public ShieldStartup(ShieldConfig config, FileSystem fileSystem, Configuration configuration) {
        this.config = config;
        this.conf = new JamesConf(fileSystem, configuration);
    }

    @Override
    public void start() {
        LOGGER.info("SMTP Shield started: {}", config);
        logAudit();
    }

    private void logAudit() {
        Optional<Path> folder = conf.folder();
        if (folder.isEmpty()) {
            LOGGER.info("SMTP Shield audit skipped: the configuration ({}) is not a folder", conf.location());
            return;
        }
        try {
            List<Finding> findings = KerioAudit.of(folder.get());
            for (Finding finding : findings) {
                switch (finding.verdict()) {
                    case OK -> LOGGER.info("SMTP Shield audit: {}", finding.line());
                    case WARN -> LOGGER.warn("SMTP Shield audit: {}", finding.line());
                    case FAIL -> LOGGER.error("SMTP Shield audit: {}", finding.line());
                }
            }
        } catch (UnreadableConfException e) {
            LOGGER.warn("SMTP Shield audit skipped: {}", e.getMessage());
        }
    }
}
