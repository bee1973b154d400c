package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.rules.DnsblScreening;
import java.util.List;

/**
 * The DNSBL screening of one address, as {@code GET /smtpshield/screening/{ip}} shows it.
 *
 * @param listed        whether the score reaches the threshold: the client is refused at MAIL FROM and RCPT TO
 * @param zones         the zones that counted (none when the answer came from the pass cache)
 * @param failed        the zones whose lookup timed out or failed, counted 0
 * @param fromPassCache whether the answer came from the pass cache (the score is the one cached)
 */
public record ScreeningView(
        String ip,
        int score,
        int threshold,
        boolean listed,
        List<String> zones,
        List<String> failed,
        boolean fromPassCache) {

    static ScreeningView of(String ip, DnsblScreening.Result result, int threshold) {
        return new ScreeningView(
                ip,
                result.score(),
                threshold,
                result.outcome() == DnsblScreening.Outcome.BLOCKED,
                result.counted(),
                result.failed(),
                result.outcome() == DnsblScreening.Outcome.CACHED);
    }
}
