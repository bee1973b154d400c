package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.UnknownRecipient;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.HarvestVerdict;
import java.util.Optional;

/**
 * Kerio's "max. number of unknown recipients" per client ({@code <perIp><maxUnknownRecipients>}): the directory-harvest
 * guard, and the owner of blocks. Counts: recipients answered "unknown user", per client key within the window,
 * across connections. Answers for the unknown recipient over the limit: {@code 421 4.7.1 ... directory harvest attack};
 * the adapter closes and the key stays blocked for {@code blockFor}. A blocked key (by this rule or by an operator) is
 * refused at connect with {@link #BLOCKED}, by {@link ConnectionLimit}, whose one store decision tells both.
 */
public final class UnknownRecipientLimit extends Rule {
    public static final RuleElement<HarvestLimit> ELEMENT = new RuleElement<>(
            "perIp",
            "maxUnknownRecipients",
            "max unknown recipients per IP (directory harvest)",
            HarvestLimit.READER,
            HarvestLimit.off());
    public static final RuleType<HarvestLimit> TYPE = new RuleType<>(ELEMENT, UnknownRecipientLimit::new);

    /** The client's key is blocked (a directory harvest, or an operator's block). */
    public static final Refusal BLOCKED = new Refusal(
            ELEMENT.name(),
            "blocked",
            Reply.closing("421", "4.7.1", "Connections from %s are blocked, try again later"));

    /** This unknown recipient exceeded the harvest limit: the client is blocked from now on. */
    public static final Refusal DIRECTORY_HARVEST = new Refusal(
            ELEMENT.name(),
            "directory harvest attack",
            Reply.closing("421", "4.7.1", "Too many unknown recipients from %s: directory harvest attack"));

    private final HarvestLimit settings;
    private final ClientStore store;

    private UnknownRecipientLimit(HarvestLimit settings, RuleContext context) {
        super(ELEMENT, settings, BLOCKED, DIRECTORY_HARVEST);
        this.settings = settings;
        this.store = context.store();
        if (settings.enabled()) {
            judges(UnknownRecipient.class, this::unknownRecipient);
        }
    }

    private Optional<Violation> unknownRecipient(ClientConnection client, UnknownRecipient event) {
        HarvestVerdict verdict = store.recordUnknownRecipient(
                client.key(),
                storeLimit(settings.value()),
                settings.window(),
                settings.blockFor(),
                settings.mode() == Mode.ENFORCE);
        if (verdict == HarvestVerdict.BLOCK_STARTED) {
            // Told to the rules that count blocks (a network's); read back, since the verdict does not carry it.
            Optional<Block> started = store.activeBlock(client.key());
            if (started.isPresent()) {
                return Violation.blocking(DIRECTORY_HARVEST, "", started.get());
            }
        }
        return verdict == HarvestVerdict.UNDER_LIMIT ? Optional.empty() : Violation.of(DIRECTORY_HARVEST, "");
    }
}
