package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.store.AccountLock;

/**
 * One account lock as WebAdmin shows it: {@code {"account": "alice@example.com", "since": "...", "until": "..."}},
 * the login name case-folded, times in ISO-8601 UTC.
 */
public record LockView(String account, String since, String until) {

    static LockView of(AccountLock lock) {
        return new LockView(
                lock.account(), lock.since().toString(), lock.until().toString());
    }
}
