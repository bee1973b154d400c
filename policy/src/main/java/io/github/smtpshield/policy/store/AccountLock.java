package io.github.smtpshield.policy.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A login name that clients outside the exempt networks cannot authenticate as, from {@code since} until
 * {@code until}: too many failed authentications of it (distributed password guessing).
 *
 * @param account the login name, case-folded
 */
public record AccountLock(String account, Instant since, Instant until) {

    public AccountLock {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(since)) {
            throw new IllegalArgumentException("a lock must end after it starts: " + since + " .. " + until);
        }
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
