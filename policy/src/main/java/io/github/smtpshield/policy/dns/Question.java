package io.github.smtpshield.policy.dns;

import org.xbill.DNS.Name;

/** What a lookup asks: the cache key of {@link DnsJavaClient}. {@link Name} compares case-insensitively. */
record Question(Name name, int type) {}
