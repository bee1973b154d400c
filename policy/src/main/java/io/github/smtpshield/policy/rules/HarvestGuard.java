package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Enforcement;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.HarvestVerdict;
import java.util.Optional;

/**
 * Kerio's "max. number of unknown recipients" per client: the directory-harvest guard. Counts: recipients
 * answered "unknown user", per client key within the window, across connections. Answers for the unknown
 * recipient over the limit: {@link Refusal#DIRECTORY_HARVEST}; the adapter closes and the key stays blocked
 * for {@code blockFor} (refused at connect by {@link ConnectionLimit}).
 */
public final class HarvestGuard {
    private final HarvestLimit limit;
    private final ClientStore store;
    private final Enforcement enforcement;

    public HarvestGuard(HarvestLimit limit, ClientStore store, Enforcement enforcement) {
        this.limit = limit;
        this.store = store;
        this.enforcement = enforcement;
    }

    public Optional<Refusal> unknownRecipient(ClientConnection client) {
        if (!limit.enabled()) {
            return Optional.empty();
        }
        boolean enforce = limit.mode() == Mode.ENFORCE;
        HarvestVerdict verdict = store.recordUnknownRecipient(
                client.key(), Limits.asInt(limit.value()), limit.window(), limit.blockFor(), enforce);
        if (verdict == HarvestVerdict.UNDER_LIMIT) {
            return Optional.empty();
        }
        return enforcement.refuse(limit.mode(), client, Refusal.DIRECTORY_HARVEST, "");
    }
}
