package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.store.Block;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rule found wrong with an event: the refusal it would answer, and a detail for the security log. Whether it
 * is answered or only logged is not the rule's business: {@code Shield} decides that in one place (observe mode).
 *
 * @param refusal        the refusal, declared by the rule
 * @param detail         appended to the reason in the log line, e.g. {@code " (limit 10)"}; may be empty
 * @param alwaysEnforced refused whatever the rule's mode (a block: observe mode never starts one, so an active block
 *     is an operator's or was started while its rule enforced)
 * @param started        the block the event started, if it started one
 */
public record Violation(Refusal refusal, String detail, boolean alwaysEnforced, Optional<Block> started) {

    public Violation {
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(started, "started");
    }

    /** A violation that started no block. */
    public Violation(Refusal refusal, String detail, boolean alwaysEnforced) {
        this(refusal, detail, alwaysEnforced, Optional.empty());
    }

    /**
     * Refused, and the client's key is blocked from now on ({@code started}): the shield tells the rules that count
     * blocks ({@link io.github.smtpshield.policy.SmtpEvent.ClientBlocked}).
     */
    public static Optional<Violation> blocking(Refusal refusal, String detail, Block started) {
        return Optional.of(new Violation(refusal, detail, false, Optional.of(started)));
    }

    /** Refused in enforce mode, logged only in observe mode. */
    public static Optional<Violation> of(Refusal refusal, String detail) {
        return Optional.of(new Violation(refusal, detail, false));
    }

    /** Refused in either mode. */
    public static Optional<Violation> enforced(Refusal refusal, String detail) {
        return Optional.of(new Violation(refusal, detail, true));
    }
}
