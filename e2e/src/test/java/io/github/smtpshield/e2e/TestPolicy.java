package io.github.smtpshield.e2e;

/**
 * Policy files for the end-to-end tests. Only 127.0.0.1 is exempt (the shipped file exempts all of 127.0.0.0/8),
 * so test clients bound to 127.0.0.2, 127.0.0.3 ... are ordinary clients; the DNS checks are off unless a test
 * turns them on.
 */
public final class TestPolicy {
    private TestPolicy() {}

    /** The memory store. */
    static final String MEMORY_STORE = "<store type=\"memory\"/>";

    /** A policy whose {@code <perIp>} and {@code <session>} contents are given. */
    public static String with(String perIp, String session) {
        return with(perIp, session, MEMORY_STORE);
    }

    /** A policy whose {@code <perIp>} and {@code <session>} contents and {@code <store>} element are given. */
    static String with(String perIp, String session, String store) {
        return """
            <smtpshield>
              <exempt>
                <networks>127.0.0.1/32, ::1/128</networks>
                <authenticatedUsers>true</authenticatedUsers>
              </exempt>
              <perIp>
            %s
              </perIp>
              <session>
            %s
              </session>
              %s
            </smtpshield>
            """.formatted(perIp, session, store);
    }

    public static String perIp(String perIp) {
        return with(perIp, "");
    }

    static String perIp(String perIp, String store) {
        return with(perIp, "", store);
    }

    /** A Redis store: {@code onFailure} open or closed, a short {@code lease} for the tests of a node that dies. */
    static String redisStore(String uri, String onFailure, String lease) {
        return "<store type=\"redis\" uri=\"%s\" onFailure=\"%s\" timeout=\"1s\" lease=\"%s\"/>"
                .formatted(uri, onFailure, lease);
    }

    /** A Redis Cluster store: {@code seeds} in Lettuce's syntax ({@code redis://host1:port1,host2:port2}). */
    static String redisClusterStore(String seeds, String onFailure, String lease) {
        return "<store type=\"redis\" cluster=\"true\" uri=\"%s\" onFailure=\"%s\" timeout=\"1s\" lease=\"%s\"/>"
                .formatted(seeds, onFailure, lease);
    }

    /** The policy with a {@code <bans>} section of the given contents. */
    static String withBans(String policy, String bans) {
        return policy.replaceFirst("</smtpshield>", "  <bans>\n" + bans + "\n  </bans>\n</smtpshield>");
    }

    /** The policy with the given exempt networks in place of 127.0.0.1 and ::1. */
    static String exempting(String policy, String networks) {
        return policy.replaceFirst(
                "<networks>127.0.0.1/32, ::1/128</networks>", "<networks>" + networks + "</networks>");
    }

    /** The policy with a {@code <trustedProxies>} list (the PROXY-protocol peers whose header is believed). */
    static String withTrustedProxies(String policy, String cidrs) {
        return policy.replaceFirst("<smtpshield>", "<smtpshield>\n  <trustedProxies>" + cidrs + "</trustedProxies>");
    }

    /** Relaying without AUTH only for 127.0.0.1 on the port-25 listener (the shipped conf trusts 127.0.0.0/8). */
    public static ShieldServer trustOnlyLocalhost(ShieldServer server) {
        return server.editConf(
                "smtpserver.xml",
                xml -> xml.replaceFirst(
                        "<authorizedAddresses>127.0.0.0/8</authorizedAddresses>",
                        "<authorizedAddresses>127.0.0.1/32</authorizedAddresses>"));
    }
}
