package io.github.smtpshield.policy.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A Redis URI as the operator wrote it ({@code redis://[[user]:password@]host[:port][,host2...][/db][?...]}), and the
 * one place that knows where its credentials are, so that no log line, error or view shows them. Its
 * {@link #toString} is {@link #redacted}: a {@code RedisUri} in a message never leaks. Only {@link #text} carries the
 * password, for the Redis client.
 *
 * <p>The credentials are everything after {@code ://} (or from the start, without a scheme) up to the <em>last</em>
 * {@code @}: written raw, a password may hold {@code /}, {@code ?}, {@code #} or {@code @}, which no URI parser reads
 * as the operator meant (it then sees a path, or a port made of the password). An {@code @} in a query is taken for
 * the end of credentials too: that hides too much, never too little.
 */
public final class RedisUri {
    private static final String MASK = "***";

    private final String text;
    /** Where the credentials start (after the scheme's {@code ://}), and the index of the {@code @} ending them. */
    private final int credentialsStart;

    private final int at;

    private RedisUri(String text) {
        this.text = Objects.requireNonNull(text, "uri");
        int scheme = text.indexOf("://");
        this.credentialsStart = scheme < 0 ? 0 : scheme + 3;
        int last = text.lastIndexOf('@');
        this.at = last >= credentialsStart ? last : -1;
    }

    public static RedisUri of(String text) {
        return new RedisUri(text);
    }

    /** The URI as written, credentials included: for the Redis client only, never for a message. */
    public String text() {
        return text;
    }

    /** For log lines and errors: the credentials replaced by {@code ***} ({@code redis://***@host:6379/0}). */
    public String redacted() {
        return at < 0 ? text : text.substring(0, credentialsStart) + MASK + text.substring(at);
    }

    /** For an operator's view of the policy: without the credentials ({@code redis://host:6379/0}). */
    public String withoutCredentials() {
        return at < 0 ? text : text.substring(0, credentialsStart) + text.substring(at + 1);
    }

    /** The host(s): after the credentials, up to the path, query or fragment ({@code host1:port1,host2:port2}). */
    public String hosts() {
        String rest = afterCredentials();
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        return rest.substring(0, end);
    }

    /** Whether the URI has credentials (a user, a password or both). */
    public boolean hasCredentials() {
        return at >= 0;
    }

    /** The credentials as written, without their {@code @}: only for checking them, never for a message. */
    String credentials() {
        return at < 0 ? "" : text.substring(credentialsStart, at);
    }

    /** What follows the credentials (or the scheme): host(s), then any path, query and fragment. */
    String afterCredentials() {
        return text.substring(at < 0 ? credentialsStart : at + 1);
    }

    /**
     * {@code message} (say, a Redis client's exception) with every credential of this URI in it masked: the user
     * info, the password, and their percent-decoded forms. Defence in depth: the store never puts the URI itself in
     * a message, but cannot know what a library echoes.
     */
    public String scrub(String message) {
        if (message == null || at < 0) {
            return message;
        }
        String scrubbed = message;
        for (String secret : secrets()) {
            scrubbed = scrubbed.replace(secret, MASK);
        }
        return scrubbed;
    }

    /** Longest first, so that a password inside the user info does not leave the user info half masked. */
    private List<String> secrets() {
        String userInfo = credentials();
        String password = userInfo.substring(userInfo.indexOf(':') + 1);
        return Stream.of(userInfo, decoded(userInfo), password, decoded(password))
                .filter(secret -> !secret.isEmpty())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    private static String decoded(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }

    /** {@link #redacted}: never the password. */
    @Override
    public String toString() {
        return redacted();
    }
}
