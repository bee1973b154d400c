package io.github.smtpshield.james;

import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.ShieldConfigException;
import io.github.smtpshield.policy.config.ShieldConfigParser;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.Configuration;

/** Where James keeps {@code smtpshield.xml}: beside its other configuration files (a folder or the classpath). */
final class PolicyFile {
    static final String NAME = "smtpshield.xml";

    private final FileSystem fileSystem;
    private final String location;

    PolicyFile(FileSystem fileSystem, Configuration configuration) {
        this.fileSystem = fileSystem;
        this.location = configuration.configurationPath().asString() + NAME;
    }

    ShieldConfig load() throws ShieldConfigException {
        try (InputStream in = fileSystem.getResource(location)) {
            return ShieldConfigParser.parse(in, displayName());
        } catch (FileNotFoundException e) {
            throw StartupGuard.refuse(displayName()
                    + ": file not found (the shield is enabled in extensions.properties, so it needs its policy file)");
        } catch (IOException e) {
            throw StartupGuard.refuse(displayName() + ": cannot read: " + e.getMessage());
        }
    }

    /** "conf/smtpshield.xml" rather than James's "file://conf/smtpshield.xml". */
    private String displayName() {
        return location.replaceFirst("^file://", "");
    }
}
