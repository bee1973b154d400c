package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.RefusalHistory;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /smtpshield/refusals}: this node's refusals of the last hour, minute by minute (oldest first, the current
 * minute last), per rule: {@code {"minutes": [{"start": "...", "refused": {"maxUnknownRecipients": 3}, "observed":
 * {}}]}}.
 */
public record RefusalsView(List<MinuteView> minutes) {

    /** One minute, from {@code start} (ISO-8601 UTC); a rule that refused nothing in it is absent. */
    public record MinuteView(String start, Map<String, Long> refused, Map<String, Long> observed) {}

    static RefusalsView of(RefusalHistory history) {
        return new RefusalsView(history.minutes().stream()
                .map(minute -> new MinuteView(minute.start().toString(), minute.refused(), minute.observed()))
                .toList());
    }
}
