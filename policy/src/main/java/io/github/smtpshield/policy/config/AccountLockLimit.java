package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A limit that locks an account: {@code <accountAuthFailures window="1h" lockFor="15m">20</accountAuthFailures>}. More
 * than {@code value} failed authentications as one login name within {@code window}, from clients outside the exempt
 * networks, lock it for {@code lockFor}. Absent or {@code 0} means off. A {@link HarvestLimit} whose penalty is a lock.
 */
public record AccountLockLimit(HarvestLimit limit) implements RuleSettings {

    public static final Duration DEFAULT_LOCK_FOR = Duration.ofMinutes(15);

    private static final AccountLockLimit OFF =
            new AccountLockLimit(0, HarvestLimit.DEFAULT_WINDOW, DEFAULT_LOCK_FOR, Mode.ENFORCE);

    public static final RuleElement.Reader<AccountLockLimit> READER =
            element -> new AccountLockLimit(HarvestLimit.read(element, "lockFor", DEFAULT_LOCK_FOR));

    public AccountLockLimit {
        Objects.requireNonNull(limit, "limit");
    }

    public AccountLockLimit(long value, Duration window, Duration lockFor, Mode mode) {
        this(new HarvestLimit(value, window, lockFor, mode));
    }

    public static AccountLockLimit off() {
        return OFF;
    }

    public long value() {
        return limit.value();
    }

    public Duration window() {
        return limit.window();
    }

    public Duration lockFor() {
        return limit.blockFor();
    }

    @Override
    public Mode mode() {
        return limit.mode();
    }

    @Override
    public boolean enabled() {
        return limit.enabled();
    }

    /** As the harvest limit's, its length named {@code lockFor} as the file names it. */
    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        limit.view().forEach((name, value) -> view.put(name.equals("blockFor") ? "lockFor" : name, value));
        return view;
    }
}
