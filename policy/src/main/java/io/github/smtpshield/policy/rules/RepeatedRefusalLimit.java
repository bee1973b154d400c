package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.Refused;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;
import java.util.Set;

/**
 * Repeat offenders ({@code <bans><repeatedRefusals window="10m" blockFor="1h">}). Counts: the shield's own refusals
 * answered {@code 421}, {@code 450} or {@code 550} per client key within the window, across sessions; a block's
 * refusals (a blocked key, a harvest, password guessing) are no new offence. Answers for the refusal over the limit:
 * {@code 421 4.7.1} in its place, the adapter closes, and the key is blocked (reason {@link Block#REPEATED}, escalated
 * by {@link BanEscalation}): a client that keeps hammering at a full limit is blocked instead of costing a session each
 * time.
 */
public final class RepeatedRefusalLimit extends Rule {
    public static final RuleElement<HarvestLimit> ELEMENT = new RuleElement<>(
            "bans", "repeatedRefusals", "refusals per IP (repeat offenders)", HarvestLimit.READER, HarvestLimit.off());
    public static final RuleType<HarvestLimit> TYPE = new RuleType<>(ELEMENT, RepeatedRefusalLimit::new);

    /** This refusal is one more than the client may have: it is blocked from now on. */
    public static final Refusal REPEATED_REFUSALS = new Refusal(
            ELEMENT.name(),
            "repeated refusals",
            Reply.closing("421", "4.7.1", "Too many refused commands from %s, try again later"));

    private static final Set<String> COUNTED_CODES = Set.of("421", "450", "550");
    /** Refusals that are, or start, a block: counting them would punish a block with another. */
    private static final Set<Refusal> BLOCKS = Set.of(
            UnknownRecipientLimit.BLOCKED,
            UnknownRecipientLimit.DIRECTORY_HARVEST,
            AuthFailureLimit.PASSWORD_GUESSING,
            NetworkBlockLimit.NETWORK_BLOCKED,
            REPEATED_REFUSALS);

    private final Offences offences;

    private RepeatedRefusalLimit(HarvestLimit settings, RuleContext context) {
        super(ELEMENT, settings, REPEATED_REFUSALS);
        this.offences = new Offences(context, ClientStore.Offence.REFUSAL, settings, Block.REPEATED);
        if (settings.enabled()) {
            judges(Refused.class, this::refused);
        }
    }

    /** Whether the refusal counts as an offence. */
    static boolean counts(Refusal refusal) {
        return COUNTED_CODES.contains(refusal.reply().code()) && !BLOCKS.contains(refusal);
    }

    private Optional<Violation> refused(ClientConnection client, Refused event) {
        return counts(event.refusal())
                ? offences.record(client, REPEATED_REFUSALS, Optional.empty())
                : Optional.empty();
    }
}
