package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.store.BanTerms;
import io.github.smtpshield.policy.store.BanVerdict;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * What the rules that ban a client for its offences share ({@link AuthFailureLimit}, {@link RepeatedRefusalLimit}):
 * one offence counted by the store, and its verdict as the rule's violation.
 */
final class Offences {
    private final ClientStore store;
    private final ClientStore.Offence offence;
    private final HarvestLimit settings;
    private final BanTerms terms;
    private final String limit;

    Offences(RuleContext context, ClientStore.Offence offence, HarvestLimit settings, String reason) {
        this.store = context.store();
        this.offence = offence;
        this.settings = settings;
        this.terms = BanEscalation.terms(context.config(), reason, settings.blockFor());
        this.limit = " (limit " + settings.value() + " per " + Durations.format(settings.window()) + ")";
    }

    /**
     * Counts the client's offence: {@code refusal} for the one over the limit (observe mode: only logged), with the
     * block it started; {@code whileBlocked} when the key was blocked already.
     */
    Optional<Violation> record(ClientConnection client, Refusal refusal, Optional<Violation> whileBlocked) {
        BanVerdict verdict = store.recordOffence(
                client.key(),
                offence,
                Rule.storeLimit(settings.value()),
                settings.window(),
                terms,
                settings.mode() == Mode.ENFORCE);
        return switch (verdict.outcome()) {
            case UNDER_LIMIT -> Optional.empty();
            case BLOCK_STARTED -> {
                Block block = verdict.block().orElseThrow();
                yield Violation.blocking(refusal, limit + ", blocked for " + Durations.format(block.length()), block);
            }
            case LIMIT_EXCEEDED -> Violation.of(refusal, limit);
            case ALREADY_BLOCKED -> whileBlocked;
        };
    }
}
