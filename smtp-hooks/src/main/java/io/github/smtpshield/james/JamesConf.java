package io.github.smtpshield.james;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.Configuration;

/** James's configuration files where James finds them: a folder ({@code file://conf/}) or the classpath. */
final class JamesConf {
    private final FileSystem fileSystem;
    private final String location;

    JamesConf(FileSystem fileSystem, Configuration configuration) {
        this.fileSystem = fileSystem;
        this.location = configuration.configurationPath().asString();
    }

    /** The file's content; {@link FileNotFoundException} when it is not there. */
    InputStream open(String file) throws IOException {
        return fileSystem.getResource(location + file);
    }

    /** "conf/smtpshield.xml" rather than James's "file://conf/smtpshield.xml". */
    String displayName(String file) {
        return (location + file).replaceFirst("^file://", "");
    }

    /** The folder ({@code conf}, not James's {@code ./conf}), or empty when James reads its configuration from the classpath. */
    Optional<Path> folder() {
        try {
            return Optional.of(fileSystem.getFile(location).toPath().normalize());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** How the configuration is named when it is not a folder. */
    String location() {
        return location;
    }
}
