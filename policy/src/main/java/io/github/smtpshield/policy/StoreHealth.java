package io.github.smtpshield.policy;

import java.time.Duration;

/**
 * Whether the per-IP store answers, as the operator's console shows it.
 *
 * @param type   {@code memory} or {@code redis}
 * @param up     the store answered a read
 * @param took   how long the read took
 * @param detail why it did not answer; empty when up
 */
public record StoreHealth(String type, boolean up, Duration took, String detail) {}
