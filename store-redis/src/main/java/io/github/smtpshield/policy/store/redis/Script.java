package io.github.smtpshield.policy.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.sync.RedisScriptingCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One decision of the store as a Lua script ({@code <name>.lua} beside this class, after {@code prelude.lua}),
 * run atomically by Redis in one round trip: EVALSHA, or EVAL when the Redis that runs it does not know it yet
 * (first use on that Redis or cluster node, or a Redis that restarted); EVAL also caches it there.
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
    List<Object> run(RedisScriptingCommands<String, String> redis, String[] keys, String... args) {
        return (List<Object>) call(redis, ScriptOutputType.MULTI, keys, args);
    }

    /** A script that answers one integer. */
    long runForNumber(RedisScriptingCommands<String, String> redis, String[] keys, String... args) {
        return (Long) call(redis, ScriptOutputType.INTEGER, keys, args);
    }

    /** One run among many in flight on the connection (a batch); the stage fails as {@link #run} would throw. */
    <T> CompletionStage<T> runAsync(
            RedisScriptingAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        return redis.<T>evalsha(sha, type, keys, args)
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedStage(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof RedisNoScriptException) {
                        return redis.<T>eval(text, type, keys, args);
                    }
                    return CompletableFuture.<T>failedStage(cause);
                })
                .thenCompose(stage -> stage);
    }

    private Object call(
            RedisScriptingCommands<String, String> redis, ScriptOutputType type, String[] keys, String[] args) {
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(text, type, keys, args);
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
