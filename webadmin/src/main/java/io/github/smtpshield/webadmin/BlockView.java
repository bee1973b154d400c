package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.store.Block;

/**
 * One block as WebAdmin shows it: {@code {"ip": "203.0.113.5", "reason": "HARVEST", "since": "...", "until": "..."}},
 * times in ISO-8601 UTC; {@code ip} is the client key, a CIDR when clients are grouped wider than one address.
 */
public record BlockView(String ip, String reason, String since, String until) {

    static BlockView of(Block block) {
        return new BlockView(
                block.key().toString(),
                block.reason(),
                block.since().toString(),
                block.until().toString());
    }
}
