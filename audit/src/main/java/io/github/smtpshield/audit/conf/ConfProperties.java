package io.github.smtpshield.audit.conf;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** One of James's {@code .properties} configuration files, its values trimmed and their placeholders resolved. */
public final class ConfProperties {
    private final Properties properties;

    private ConfProperties(Properties properties) {
        this.properties = properties;
    }

    /** The file, or empty when it is not there or cannot be read (James then uses its defaults). */
    public static Optional<ConfProperties> read(Path file) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return Optional.of(new ConfProperties(properties));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public String get(String key, String otherwise) {
        String value = properties.getProperty(key);
        return value == null ? otherwise : Placeholders.resolve(value.strip());
    }

    /** A boolean as James reads it; {@code otherwise} when absent or not a boolean. */
    public boolean bool(String key, boolean otherwise) {
        return ConfXml.bool(Optional.ofNullable(get(key, null)), otherwise);
    }
}
