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
import java.util.function.Function;

/**
 * One decision of the store as a Lua script ({@code <name>.lua} beside this class, after {@code prelude.lua}),
 * run atomically by Redis in one round trip: EVALSHA, or EVAL when the Redis that runs it does not know it yet
 * (first use on that Redis or cluster node, or a Redis that restarted); EVAL also caches it there. Each script
 * comes with the decoder of its reply (see {@link Replies}), so a caller gets a typed answer, never a list to index.
 *
 * @param <T> the decoded reply
 */
final class Script<T> {
    private static final String PRELUDE = resource("prelude");

    private final String name;
    private final String text;
    private final String sha;
    private final ScriptOutputType type;
    private final Function<Object, T> decoder;

    private Script(String name, ScriptOutputType type, Function<Object, T> decoder) {
        this.name = name;
        this.text = PRELUDE + resource(name);
        this.sha = sha1(text);
        this.type = type;
        this.decoder = decoder;
    }

    /** A script that answers an array (nested arrays allowed), decoded by {@code decoder}. */
    @SuppressWarnings("unchecked") // Lettuce's MULTI output is a List of String, Long and nested Lists
    static <T> Script<T> answering(String name, Function<List<Object>, T> decoder) {
        return new Script<>(name, ScriptOutputType.MULTI, reply -> decoder.apply((List<Object>) reply));
    }

    /** A script that answers one integer. */
    static Script<Long> answeringANumber(String name) {
        return new Script<>(name, ScriptOutputType.INTEGER, Long.class::cast);
    }

    T run(RedisScriptingCommands<String, String> redis, String[] keys, String... args) {
        Object reply;
        try {
            reply = redis.<Object>evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            reply = redis.<Object>eval(text, type, keys, args);
        }
        return decoder.apply(reply);
    }

    /** Puts the script in Redis's cache (on every node of a cluster), so that its next run is answered at once. */
    void load(RedisScriptingCommands<String, String> redis) {
        redis.scriptLoad(text);
    }

    /** One run among many in flight on the connection; the stage fails as {@link #run} would throw. */
    CompletionStage<T> runAsync(RedisScriptingAsyncCommands<String, String> redis, String[] keys, String... args) {
        return redis.<Object>evalsha(sha, type, keys, args)
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedStage(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof RedisNoScriptException) {
                        return redis.<Object>eval(text, type, keys, args);
                    }
                    return CompletableFuture.<Object>failedStage(cause);
                })
                .thenCompose(stage -> stage)
                .thenApply(decoder);
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
