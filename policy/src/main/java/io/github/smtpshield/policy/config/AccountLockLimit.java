package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A limit that locks an account: {@code <accountAuthFailures window="1h" lockFor="15m">20</accountAuthFailures>}. More
 * than {@code value} failed authentications as one login name within {@code window}, from clients outside the exempt
 * networks, lock it for {@code lockFor}. Absent or {@code 0} means off.
 */
public record AccountLockLimit(long value, Duration window, Duration lockFor, Mode mode) implements RuleSettings {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_LOCK_FOR = Duration.ofMinutes(15);

    private static final AccountLockLimit OFF = new AccountLockLimit(0, DEFAULT_WINDOW, DEFAULT_LOCK_FOR, Mode.ENFORCE);

    public static final RuleElement.Reader<AccountLockLimit> READER = element -> {
        element.allowAttributes(ConfigValues.MODE, "window", "lockFor");
        return new AccountLockLimit(
                element.value(WholeNumber::parse),
                element.attribute("window", ConfigValues::positiveDuration).orElse(DEFAULT_WINDOW),
                element.attribute("lockFor", ConfigValues::positiveDuration).orElse(DEFAULT_LOCK_FOR),
                ConfigValues.mode(element));
    };

    public AccountLockLimit {
        if (value < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + value);
        }
        Durations.requirePositive(window, "window");
        Durations.requirePositive(lockFor, "lockFor");
        Objects.requireNonNull(mode, "mode");
    }

    public static AccountLockLimit off() {
        return OFF;
    }

    @Override
    public boolean enabled() {
        return value > 0;
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        view.put("limit", value);
        view.put("window", Durations.format(window));
        view.put("lockFor", Durations.format(lockFor));
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
