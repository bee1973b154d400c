package io.github.smtpshield.james;

import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.ShieldConfigException;
import io.github.smtpshield.policy.config.ShieldConfigParser;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/** Where James keeps {@code smtpshield.xml}: beside its other configuration files (a folder or the classpath). */
final class PolicyFile {
    static final String NAME = "smtpshield.xml";

    private final JamesConf conf;

    PolicyFile(JamesConf conf) {
        this.conf = conf;
    }

    ShieldConfig load() throws ShieldConfigException {
        try (InputStream in = conf.open(NAME)) {
            return ShieldConfigParser.parse(in, conf.displayName(NAME));
        } catch (FileNotFoundException e) {
            throw StartupGuard.refuse(conf.displayName(NAME)
                    + ": file not found (the shield is enabled in extensions.properties, so it needs its policy file)");
        } catch (IOException e) {
            throw StartupGuard.refuse(conf.displayName(NAME) + ": cannot read: " + e.getMessage());
        }
    }
}
