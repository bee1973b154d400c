package io.github.smtpshield.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which redis-server the fixtures run: the named one, else the PATH's, else embedded-redis's. */
class RedisExecutableTest {

    @TempDir
    Path dir;

    @Test
    void thePropertyWinsOverThePath() throws IOException {
        Path named = executable(dir.resolve("named"), "redis-server");
        Path onPath = executable(dir.resolve("bin"), "redis-server");

        RedisExecutable chosen =
                RedisExecutable.choose(named.toString(), onPath.getParent().toString());

        assertThat(chosen.path()).isEqualTo(named);
        assertThat(chosen).hasToString(named + " (-Dsmtpshield.redisServer)");
    }

    @Test
    void aPropertyThatNamesNoExecutableIsRefused() throws IOException {
        Path notExecutable = Files.writeString(dir.resolve("redis-server"), "", UTF_8);

        for (String value :
                new String[] {notExecutable.toString(), dir.resolve("missing").toString(), dir.toString()}) {
            assertThatThrownBy(() -> RedisExecutable.choose(value, null))
                    .hasMessage("-Dsmtpshield.redisServer=" + value + " is not an executable file");
        }
    }

    @Test
    void theFirstExecutableOnThePathIsTaken() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path notExecutable = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(notExecutable.resolve("redis-server"), "", UTF_8);
        Path first = executable(dir.resolve("first"), "redis-server");
        executable(dir.resolve("second"), "redis-server");

        String searchPath = String.join(
                File.pathSeparator,
                "",
                empty.toString(),
                notExecutable.toString(),
                first.getParent().toString(),
                dir.resolve("second").toString());

        assertThat(RedisExecutable.choose(null, searchPath).path()).isEqualTo(first);
    }

    /** What a machine with only a JDK gets: the build in embedded-redis's jar, and it runs here. */
    @Test
    void withoutOneOnThePathEmbeddedRedisProvidesOneThatRuns() throws Exception {
        RedisExecutable chosen = RedisExecutable.choose(null, dir.toString());

        assertThat(chosen.origin()).isEqualTo("embedded-redis, none on the PATH");
        Process version = new ProcessBuilder(chosen.path().toString(), "--version")
                .redirectErrorStream(true)
                .start();
        String printed = new String(version.getInputStream().readAllBytes(), UTF_8);
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(printed).startsWith("Redis server v=6.2.");
        assertThat(version.exitValue()).isZero();
    }

    private static Path executable(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        Files.writeString(file, "#!/bin/sh\n", UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
