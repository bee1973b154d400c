package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.RuleSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One rule of the policy: one Kerio setting, or one protection beyond Kerio. A rule declares what it is — its element
 * of {@code smtpshield.xml} (which also names it in metrics and logs), the refusals it may answer (each with its SMTP
 * reply), and the SMTP events it handles — and judges those events. It says what is wrong ({@link Violation}); the
 * shield dispatches the events to the rules and applies, for every rule alike, the exemptions, observe mode, the
 * security log, the metrics and what happens when the store cannot decide.
 *
 * <p>A rule registers its handlers in its constructor, and only those its settings need: a rule that is off
 * registers none and costs nothing. The rules of the registry ({@link Rules}) judge an event in the registry's order;
 * the first refusal answers it.
 */
public abstract class Rule {

    /** Which clients a handler judges. */
    public enum Scope {
        /** Not the exempt ones: clients of an exempt network, and authenticated clients when those are exempt. */
        NOT_EXEMPT,
        /** Every client, exempt or not. */
        EVERY_CLIENT
    }

    /** Judges an event at once. May throw {@code StoreUnavailableException} when the store cannot decide. */
    @FunctionalInterface
    public interface Judge<E extends SmtpEvent> {
        Optional<Violation> judge(ClientConnection client, E event);
    }

    /**
     * Judges an event once a lookup has answered (DNS). The future always completes normally, within a bound the
     * rule keeps.
     */
    @FunctionalInterface
    public interface Lookup<E extends SmtpEvent> {
        CompletableFuture<Optional<Violation>> lookUp(ClientConnection client, E event);
    }

    /** One event handler of a rule: exactly one of {@code judge} and {@code lookup} is set. */
    public record Handler<E extends SmtpEvent>(
            Rule rule, Class<E> event, Scope scope, Judge<E> judge, Lookup<E> lookup) {

        public Handler {
            if ((judge == null) == (lookup == null)) {
                throw new IllegalArgumentException("a handler either judges or looks up");
            }
        }
    }

    private final RuleElement<?> element;
    private final RuleSettings settings;
    private final List<Refusal> refusals;
    private final List<Handler<?>> handlers = new ArrayList<>();

    protected Rule(RuleElement<?> element, RuleSettings settings, Refusal... refusals) {
        this.element = Objects.requireNonNull(element, "element");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.refusals = List.of(refusals);
    }

    /** The rule's element name, its name in metrics and logs: {@code maxUnknownRecipients}. */
    public final String name() {
        return element.name();
    }

    public final RuleElement<?> element() {
        return element;
    }

    public final boolean enabled() {
        return settings.enabled();
    }

    public final Mode mode() {
        return settings.mode();
    }

    /** The refusals the rule may answer. */
    public final List<Refusal> refusals() {
        return refusals;
    }

    /** The events the rule handles, in the order it registered them. */
    public final List<Handler<?>> handlers() {
        return List.copyOf(handlers);
    }

    /** Handles {@code event} for clients that are not exempt. */
    protected final <E extends SmtpEvent> void judges(Class<E> event, Judge<E> judge) {
        handlers.add(new Handler<>(this, event, Scope.NOT_EXEMPT, judge, null));
    }

    /** Handles {@code event} for every client, exempt or not. */
    protected final <E extends SmtpEvent> void judgesEveryClient(Class<E> event, Judge<E> judge) {
        handlers.add(new Handler<>(this, event, Scope.EVERY_CLIENT, judge, null));
    }

    /** Handles {@code event} of clients that are not exempt once a lookup has answered. */
    protected final <E extends SmtpEvent> void looksUp(Class<E> event, Lookup<E> lookup) {
        handlers.add(new Handler<>(this, event, Scope.NOT_EXEMPT, null, lookup));
    }

    /** A limit as the store counts it: an int, {@code 0} for off; a limit beyond an int is as good as none. */
    public static int storeLimit(long limit) {
        return (int) Math.max(0, Math.min(limit, Integer.MAX_VALUE));
    }

    @Override
    public String toString() {
        return name() + (enabled() ? "" : " (off)");
    }
}
