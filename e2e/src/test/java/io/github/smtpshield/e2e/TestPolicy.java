package io.github.smtpshield.e2e;

/**
 * Policy files for the end-to-end tests. Only 127.0.0.1 is exempt (the shipped file exempts all of 127.0.0.0/8),
 * so test clients bound to 127.0.0.2, 127.0.0.3 ... are ordinary clients; the DNS checks are off unless a test
 * turns them on.
 */
public final class TestPolicy {
    private TestPolicy() {
    }

    /** A policy whose {@code <perIp>} and {@code <session>} contents are given. */
    public static String with(String perIp, String session) {
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
              <store type="memory"/>
            </smtpshield>
            """.formatted(perIp, session);
    }

    public static String perIp(String perIp) {
        return with(perIp, "");
    }

    /** Relaying without AUTH only for 127.0.0.1 on the port-25 listener (the shipped conf trusts 127.0.0.0/8). */
    public static ShieldServer trustOnlyLocalhost(ShieldServer server) {
        return server.editConf("smtpserver.xml", xml -> xml.replaceFirst(
            "<authorizedAddresses>127.0.0.0/8</authorizedAddresses>", "<authorizedAddresses>127.0.0.1/32</authorizedAddresses>"));
    }
}
