package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.AuthAttempt;
import io.github.smtpshield.policy.SmtpEvent.AuthFailed;
import io.github.smtpshield.policy.config.AccountLockLimit;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * Distributed password guessing ({@code <bans><accountAuthFailures window="1h" lockFor="15m">}). Counts: failed AUTH
 * per login name (case-folded) from clients outside the exempt networks, whatever their address. Answers: the failure
 * over the limit, and then every AUTH as that name from such a client for {@code lockFor}, the right password too, get
 * {@code 454 4.7.0 Temporary authentication failure}; clients of the exempt networks still authenticate, so an
 * attacker cannot lock a user out of the office.
 */
public final class AccountAuthFailureLimit extends Rule {
    public static final RuleElement<AccountLockLimit> ELEMENT = new RuleElement<>(
            "bans",
            "accountAuthFailures",
            "failed authentications per account (distributed password guessing)",
            AccountLockLimit.READER,
            AccountLockLimit.off());
    public static final RuleType<AccountLockLimit> TYPE = new RuleType<>(ELEMENT, AccountAuthFailureLimit::new);

    /** The login name is locked: no client outside the exempt networks authenticates as it for now. */
    public static final Refusal ACCOUNT_LOCKED =
            new Refusal(ELEMENT.name(), "account locked", Reply.of("454", "4.7.0", "Temporary authentication failure"));

    private final AccountLockLimit settings;
    private final ClientStore store;

    private AccountAuthFailureLimit(AccountLockLimit settings, RuleContext context) {
        super(ELEMENT, settings, ACCOUNT_LOCKED);
        this.settings = settings;
        this.store = context.store();
        if (settings.enabled()) {
            judges(AuthAttempt.class, this::attempt);
            judges(AuthFailed.class, this::failed);
        }
    }

    private Optional<Violation> attempt(ClientConnection client, AuthAttempt event) {
        return store.accountLock(event.account())
                .flatMap(lock ->
                        Violation.enforced(ACCOUNT_LOCKED, " (" + event.account() + " until " + lock.until() + ")"));
    }

    private Optional<Violation> failed(ClientConnection client, AuthFailed event) {
        return switch (store.recordAccountFailure(
                event.account(),
                storeLimit(settings.value()),
                settings.window(),
                settings.lockFor(),
                settings.mode() == Mode.ENFORCE)) {
            case UNDER_LIMIT, ALREADY_BLOCKED -> Optional.empty();
            case BLOCK_STARTED, LIMIT_EXCEEDED ->
                Violation.of(
                        ACCOUNT_LOCKED,
                        " (" + event.account() + ": limit " + settings.value() + " per "
                                + Durations.format(settings.window()) + ", locked for "
                                + Durations.format(settings.lockFor()) + ")");
        };
    }
}
