package io.github.smtpshield.policy;

import io.github.smtpshield.policy.net.IpPrefix;

/**
 * An address or CIDR an operator names (a WebAdmin path, a command's argument), read by {@link Shield#target}.
 *
 * @param text   as the operator wrote it
 * @param key    the client key it stands for, grouped like the clients are counted
 * @param exempt whether the address as written is in an exempt network
 */
public record OperatorTarget(String text, IpPrefix key, boolean exempt) {}
