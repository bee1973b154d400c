package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.dns.ClientDns;
import io.github.smtpshield.policy.store.ClientStore;

/**
 * What a rule may use besides its own settings.
 *
 * @param config the whole policy (the DNS timeout, for example)
 * @param store  the per-client store
 * @param dns    the resolver as each client's lookups see it ({@link ClientDns#of}); made at the first lookup, so that
 *     a host without resolvers can run the shield with its DNS checks off
 * @param metrics where a rule counts what is its own beyond its refusals (the DNSBL zones' answers)
 */
public record RuleContext(ShieldConfig config, ClientStore store, ClientDns dns, ShieldMetrics metrics) {}
