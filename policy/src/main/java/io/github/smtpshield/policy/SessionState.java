package io.github.smtpshield.policy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A key to what one rule keeps with one connection (a count, a lookup under way): a rule declares its keys as
 * constants, and {@link ClientConnection#state} holds one value per key for the life of the connection, made on first
 * use. The state of a rule thus lives in the rule's class, not in the connection's.
 *
 * @param <T> the kind of value, mutable where the rule changes it (an {@code AtomicInteger})
 */
public final class SessionState<T> {
    private static final AtomicInteger KEYS = new AtomicInteger();

    private final int index = KEYS.getAndIncrement();
    private final Supplier<T> initial;

    private SessionState(Supplier<T> initial) {
        this.initial = initial;
    }

    /** A new key whose value is made by {@code initial} on first use. */
    public static <T> SessionState<T> of(Supplier<T> initial) {
        return new SessionState<>(initial);
    }

    int index() {
        return index;
    }

    T initial() {
        return initial.get();
    }

    /** How many keys exist: the size of a connection's state. */
    static int count() {
        return KEYS.get();
    }
}
