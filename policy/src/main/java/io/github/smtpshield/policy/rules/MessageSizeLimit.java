package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Kerio's "max. incoming message size", the one place the size limit is set. Counts: the bytes of one message,
 * as the client declares them at MAIL FROM ({@code SIZE=}, RFC 1870) and as they arrive in DATA (the adapter
 * counts). Answers {@link Refusal#MESSAGE_TOO_BIG} at MAIL FROM for a declared size over the limit, and at the end
 * of DATA for a stream that went over it (the adapter discards the rest and delivers nothing); the session goes on.
 */
public final class MessageSizeLimit {
    private final Limit limit;
    private final Enforcement enforcement;

    public MessageSizeLimit(Limit limit, Enforcement enforcement) {
        this.limit = limit;
        this.enforcement = enforcement;
    }

    /** The size EHLO advertises (RFC 1870); none when the limit is off or only observed (clients would obey it). */
    public OptionalLong advertised() {
        return limit.enabled() && limit.mode() == Mode.ENFORCE ? OptionalLong.of(limit.value()) : OptionalLong.empty();
    }

    /** Whether a message of {@code size} bytes is over the limit: a limit of N allows N bytes. */
    public boolean exceeds(long size) {
        return limit.enabled() && size > limit.value();
    }

    /** MAIL FROM with {@code SIZE=declared}. */
    public Optional<Refusal> declared(ClientConnection client, long declared) {
        if (!exceeds(declared)) {
            return Optional.empty();
        }
        return enforcement.refuse(
                limit.mode(),
                client,
                Refusal.MESSAGE_TOO_BIG,
                " (declared " + declared + " bytes, limit " + limit.value() + ")");
    }

    /**
     * DATA: the message has reached {@code received} bytes so far. The adapter asks once, when the count first
     * goes over the limit; a refusal means: discard the rest, answer it at the end of DATA.
     */
    public Optional<Refusal> received(ClientConnection client, long received) {
        if (!exceeds(received)) {
            return Optional.empty();
        }
        return enforcement.refuse(limit.mode(), client, Refusal.MESSAGE_TOO_BIG, " (over " + limit.value() + " bytes)");
    }
}
