package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.store.Block;

/**
 * One block as WebAdmin shows it: {@code {"ip": "203.0.113.5", "reason": "AUTH", "since": "...", "until": "...",
 * "length": "2h", "offences": 2}}, times in ISO-8601 UTC, the length as {@code smtpshield.xml} writes durations;
 * {@code ip} is the client key, a CIDR when clients are grouped wider than one address or for a network's block;
 * {@code offences} counts the blocks of the key in a row under {@code <bans><escalation>} (1 otherwise).
 */
public record BlockView(String ip, String reason, String since, String until, String length, int offences) {

    static BlockView of(Block block) {
        return new BlockView(
                block.key().toString(),
                block.reason(),
                block.since().toString(),
                block.until().toString(),
                Durations.format(block.length()),
                block.offences());
    }
}
