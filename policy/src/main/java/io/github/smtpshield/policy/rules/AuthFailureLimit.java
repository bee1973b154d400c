package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.AuthFailed;
import io.github.smtpshield.policy.SmtpEvent.SubmissionConnect;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * Password guessing per client ({@code <bans><authFailures window="1h" blockFor="1h">}). Counts: failed AUTH per client
 * key within the window, on every listener and across sessions. Answers for the failure over the limit:
 * {@code 421 4.7.1}, the adapter closes, and the key is blocked (reason {@link Block#AUTH}, escalated by
 * {@link BanEscalation}); a blocked key is refused at connect on every listener, {@link ConnectionLimit} on the guarded
 * ones and this rule on the others (465, 587), so guessing cannot move to submission.
 */
public final class AuthFailureLimit extends Rule {
    public static final RuleElement<HarvestLimit> ELEMENT = new RuleElement<>(
            "bans",
            "authFailures",
            "failed authentications per IP (password guessing)",
            HarvestLimit.READER,
            HarvestLimit.off());
    public static final RuleType<HarvestLimit> TYPE = new RuleType<>(ELEMENT, AuthFailureLimit::new);

    /** This failed authentication is one more than the client may have: it is blocked from now on. */
    public static final Refusal PASSWORD_GUESSING = new Refusal(
            ELEMENT.name(),
            "password guessing",
            Reply.closing("421", "4.7.1", "Too many failed authentications from %s, closing connection"));

    private final ClientStore store;
    private final Offences offences;

    private AuthFailureLimit(HarvestLimit settings, RuleContext context) {
        super(ELEMENT, settings, PASSWORD_GUESSING);
        this.store = context.store();
        this.offences = new Offences(context, ClientStore.Offence.AUTH_FAILURE, settings, Block.AUTH);
        if (settings.enabled()) {
            judges(AuthFailed.class, this::authFailed);
            judges(SubmissionConnect.class, this::submissionConnect);
        }
    }

    private Optional<Violation> authFailed(ClientConnection client, AuthFailed event) {
        // Another session of the key started the block: this one ends too.
        return offences.record(client, PASSWORD_GUESSING, Violation.enforced(PASSWORD_GUESSING, " (blocked already)"));
    }

    private Optional<Violation> submissionConnect(ClientConnection client, SubmissionConnect event) {
        return store.activeBlock(client.key())
                .flatMap(block -> Violation.enforced(
                        UnknownRecipientLimit.BLOCKED, " (" + block.reason() + ") until " + block.until()));
    }
}
