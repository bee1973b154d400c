package io.github.smtpshield.policy.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * One decision of the store as a Lua script ({@code <name>.lua} beside this class, after {@code prelude.lua}),
 * run atomically by Redis in one round trip: EVALSHA, and once more after SCRIPT LOAD when Redis does not know
 * it (first use, or a Redis that restarted).
 */
final class Script {
    private static final String PRELUDE = resource("prelude");

    private final String name;
    private final String text;
    private final String sha;

    private Script(String name) {
        this.name = name;
        this.text = PRELUDE + resource(name);
        this.sha = sha1(text);
    }

    static Script named(String name) {
        return new Script(name);
    }

    @SuppressWarnings("unchecked")
    List<Object> run(RedisCommands<String, String> redis, String[] keys, String... args) {
        try {
            return (List<Object>) redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            redis.scriptLoad(text);
            return (List<Object>) redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        }
    }

    /** A script that answers one integer. */
    long runForNumber(RedisCommands<String, String> redis, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
        } catch (RedisNoScriptException e) {
            redis.scriptLoad(text);
            return redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static String resource(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("Missing script " + name + ".lua");
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
