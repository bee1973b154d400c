package io.github.smtpshield.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import redis.embedded.core.ExecutableProvider;

/**
 * The {@code redis-server} that {@link LoopbackRedisServer} runs, chosen once per JVM, so that the tests need nothing
 * but a JDK: the one {@code -Dsmtpshield.redisServer=PATH} names; else the first {@code redis-server} on the PATH
 * (Debian's package, say); else the build for this system that the embedded-redis artifact ships in its jar (Redis
 * 6.2 for Linux and macOS, x86-64 and ARM), written to a temporary file that is deleted when the JVM exits.
 *
 * @param path the executable
 * @param origin where it was found, for error messages
 */
record RedisExecutable(Path path, String origin) {
    static final String PROPERTY = "smtpshield.redisServer";
    private static final String NAME = "redis-server";

    private static RedisExecutable chosen;

    /** This JVM's choice, made at the first call. */
    static synchronized RedisExecutable get() {
        if (chosen == null) {
            chosen = choose(System.getProperty(PROPERTY), System.getenv("PATH"));
        }
        return chosen;
    }

    /** The choice for this property value (null: not set) and this PATH (null: none). */
    static RedisExecutable choose(String property, String searchPath) {
        if (property != null) {
            Path named = Path.of(property);
            if (!runnable(named)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + property + " is not an executable file");
            }
            return new RedisExecutable(named, "-D" + PROPERTY);
        }
        return onPath(searchPath)
                .map(found -> new RedisExecutable(found, "the first " + NAME + " on the PATH"))
                .orElseGet(RedisExecutable::embedded);
    }

    private static Optional<Path> onPath(String searchPath) {
        if (searchPath == null) {
            return Optional.empty();
        }
        return Arrays.stream(searchPath.split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, NAME))
                .filter(RedisExecutable::runnable)
                .findFirst();
    }

    private static RedisExecutable embedded() {
        try {
            return new RedisExecutable(
                    ExecutableProvider.newJarResourceProvider().get().toPath(), "embedded-redis, none on the PATH");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "No " + NAME + " on the PATH, and embedded-redis has no build for " + System.getProperty("os.name")
                            + " " + System.getProperty("os.arch") + ": install Redis or name its " + NAME + " with -D"
                            + PROPERTY + "=PATH",
                    e);
        }
    }

    private static boolean runnable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    @Override
    public String toString() {
        return path + " (" + origin + ")";
    }
}
