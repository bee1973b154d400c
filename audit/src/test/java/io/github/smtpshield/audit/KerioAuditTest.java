package io.github.smtpshield.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.smtpshield.audit.conf.UnreadableConfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped conf passes but for WebAdmin's authentication, off by default; each bad conf (one per checklist item,
 * made from the shipped conf with JWT on) gives its FAIL or WARN line.
 */
class KerioAuditTest {
    private static final Path SHIPPED_CONF = Path.of("../conf");

    @TempDir
    Path conf;

    @BeforeEach
    void copyTheShippedConf() throws IOException {
        try (Stream<Path> files = Files.list(SHIPPED_CONF)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
        Path webAdmin = conf.resolve("webadmin.properties");
        Files.writeString(webAdmin, Files.readString(webAdmin) + "\njwt.enabled=true\n");
    }

    private void edit(String file, UnaryOperator<String> edit) throws IOException {
        String before = Files.readString(conf.resolve(file));
        String after = edit.apply(before);
        assertThat(after).as("the edit of " + file + " changes it").isNotEqualTo(before);
        Files.writeString(conf.resolve(file), after);
    }

    private List<String> lines() throws UnreadableConfException {
        return KerioAudit.of(conf).stream().map(Finding::line).toList();
    }

    private List<String> problems() throws UnreadableConfException {
        return KerioAudit.of(conf).stream()
                .filter(finding -> finding.verdict() != Verdict.OK)
                .map(Finding::line)
                .toList();
    }

    @Test
    void theShippedConfIsAllOkButWebAdminsAuthentication() throws Exception {
        List<Finding> findings = KerioAudit.of(SHIPPED_CONF);

        assertThat(findings)
                .filteredOn(finding -> finding.verdict() != Verdict.OK)
                .extracting(Finding::line)
                .containsExactly("WARN WebAdmin authentication: none: every local user and process can create users"
                        + " and read mail through WebAdmin; start once with WEBADMIN_JWT=true (bin/smtp-shield token"
                        + " prints a token), or set jwt.enabled=true and jwt.publickeypem.url [webadmin.properties"
                        + " jwt.enabled]");
        assertThat(KerioAudit.exitStatus(findings)).isZero();
        assertThat(findings)
                .extracting(Finding::item)
                .contains(
                        "open relay",
                        "relay without authentication",
                        "AUTH offered without TLS",
                        "max messages per hour per IP",
                        "max concurrent connections per IP",
                        "max unknown recipients per IP (directory harvest)",
                        "max failed commands per session",
                        "max recipients per message",
                        "max message size",
                        "block if the sender's domain is not in DNS",
                        "block if the client IP has no reverse DNS (PTR)",
                        "exempt networks",
                        "outbound STARTTLS (use SSL/TLS if supported by the remote server)",
                        "WebAdmin beyond localhost without authentication",
                        "WebAdmin authentication",
                        "WebAdmin cross-origin requests");
    }

    @Test
    void anOpenRelayOnAnyListenerFails() throws Exception {
        edit(
                "smtpserver.xml",
                xml -> xml.replace(
                        "<authorizedAddresses></authorizedAddresses>",
                        "<authorizedAddresses>0.0.0.0/1, 128.0.0.0/1</authorizedAddresses>"));

        assertThat(problems())
                .containsExactly(
                        "FAIL open relay: '0.0.0.0/1, 128.0.0.0/1' lets every address relay without authentication; set <authorizedAddresses> to your own"
                                + " networks (for example 127.0.0.0/8) [smtpserver.xml <smtpserver> 'smtpserver-TLS' <authorizedAddresses>]",
                        "FAIL open relay: '0.0.0.0/1, 128.0.0.0/1' lets every address relay without authentication; set <authorizedAddresses> to your own"
                                + " networks (for example 127.0.0.0/8) [smtpserver.xml <smtpserver> 'smtpserver-authenticated' <authorizedAddresses>]");
        assertThat(KerioAudit.exitStatus(KerioAudit.of(conf))).isEqualTo(1);
    }

    @Test
    void publicNetworksThatRelayWithoutAuthenticationWarn() throws Exception {
        edit(
                "smtpserver.xml",
                xml -> xml.replace(
                        "<authorizedAddresses>127.0.0.0/8</authorizedAddresses>",
                        "<authorizedAddresses>127.0.0.0/8, 10.1.0.0/16, 203.0.113.0/24</authorizedAddresses>"));

        assertThat(problems())
                .containsExactly("WARN relay without authentication: smtpserver-global: public networks relay without"
                        + " authentication: 203.0.113.0/24; make sure they are yours, or remove them and let those clients authenticate"
                        + " [smtpserver.xml <smtpserver> 'smtpserver-global' <authorizedAddresses>]");
    }

    @Test
    void mailForRemoteDomainsSentOnWithoutAuthenticationFails() throws Exception {
        edit(
                "mailetcontainer.xml",
                xml -> xml.replace(
                        "<mailet match=\"relay-allowed\" class=\"ToProcessor\">",
                        "<mailet match=\"All\" class=\"ToProcessor\">"));

        assertThat(problems())
                .containsExactly(
                        "FAIL relay without authentication: all mail, authenticated or not, goes to remote delivery;"
                                + " match it with SMTPAuthSuccessful, SMTPIsAuthNetwork (as the shipped relay-allowed matcher does) and send the rest to a"
                                + " bouncing processor [mailetcontainer.xml <processor state=\"transport\"> <mailet match=\"All\" class=\"ToProcessor\">]");
    }

    @Test
    void authOfferedBeforeStartTlsFails() throws Exception {
        // The last listener of the shipped file is the submission one (587).
        edit("smtpserver.xml", xml -> {
            int last = xml.lastIndexOf("<requireSSL>true</requireSSL>");
            return xml.substring(0, last) + "<requireSSL>false</requireSSL>"
                    + xml.substring(last + "<requireSSL>true</requireSSL>".length());
        });

        assertThat(problems())
                .containsExactly("FAIL AUTH offered without TLS: smtpserver-authenticated offers AUTH before STARTTLS:"
                        + " passwords cross the network in clear; set <requireSSL>true</requireSSL>"
                        + " [smtpserver.xml <smtpserver> 'smtpserver-authenticated' <auth><requireSSL>]");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<maxMessagesPerHour>200</maxMessagesPerHour>|max messages per hour per IP|<perIp><maxMessagesPerHour>",
                "<maxConcurrentConnections>10</maxConcurrentConnections>|max concurrent connections per IP|<perIp><maxConcurrentConnections>",
                "<maxUnknownRecipients window=\"1h\" blockFor=\"1h\">10</maxUnknownRecipients>|max unknown recipients per IP (directory harvest)|<perIp><maxUnknownRecipients>",
                "<maxFailedCommands>10</maxFailedCommands>|max failed commands per session|<session><maxFailedCommands>",
                "<maxRecipientsPerMessage>100</maxRecipientsPerMessage>|max recipients per message|<session><maxRecipientsPerMessage>",
            })
    void eachLimitThatIsOffWarns(String element, String item, String path) throws Exception {
        edit("smtpshield.xml", xml -> xml.replace(element, ""));

        assertThat(problems()).containsExactly("WARN " + item + ": off; set a limit [smtpshield.xml " + path + "]");
        assertThat(KerioAudit.exitStatus(KerioAudit.of(conf))).isZero();
    }

    @Test
    void aLimitInObserveModeWarns() throws Exception {
        edit(
                "smtpshield.xml",
                xml -> xml.replace("<maxMessagesPerHour>200", "<maxMessagesPerHour mode=\"observe\">200"));

        assertThat(problems())
                .containsExactly("WARN max messages per hour per IP: 200 in observe mode: logged, not enforced;"
                        + " remove mode=\"observe\" to enforce it [smtpshield.xml <perIp><maxMessagesPerHour>]");
    }

    @Test
    void noSizeLimitWarns() throws Exception {
        edit("smtpshield.xml", xml -> xml.replace("<maxMessageSize>25M</maxMessageSize>", ""));

        assertThat(problems())
                .containsExactly(
                        "WARN max message size: no size limit on smtpserver-global, smtpserver-TLS,"
                                + " smtpserver-authenticated; set one (for example 25M) [smtpshield.xml <session><maxMessageSize>]");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "rejectUnknownSenderDomain|block if the sender's domain is not in DNS",
                "rejectClientWithoutPtr|block if the client IP has no reverse DNS (PTR)",
            })
    void eachDnsCheckThatIsOffWarns(String element, String item) throws Exception {
        edit("smtpshield.xml", xml -> xml.replace("<" + element + ">true<", "<" + element + ">false<"));

        assertThat(problems())
                .containsExactly("WARN " + item + ": off; set it to true [smtpshield.xml <dns><" + element + ">]");
    }

    @Test
    void exemptNetworksThatCoverEverythingFail() throws Exception {
        edit(
                "smtpshield.xml",
                xml -> xml.replace(
                        "<networks>127.0.0.0/8, ::1/128</networks>", "<networks>127.0.0.0/8, ::/0</networks>"));

        assertThat(problems())
                .containsExactly(
                        "FAIL exempt networks: '127.0.0.0/8, ::/0' covers every IPv6 address: no client is ever"
                                + " limited; list only your own networks [smtpshield.xml <exempt><networks>]");
    }

    @Test
    void outboundStartTlsOffWarns() throws Exception {
        edit(
                "mailetcontainer.xml",
                xml -> xml.replace(
                        "<startTLS>true</startTLS>\n                <mail.smtp.ssl.trust>*</mail.smtp.ssl.trust>\n                <verifyServerIdentity>false</verifyServerIdentity>\n            </mailet>\n        </processor>",
                        "</mailet>\n        </processor>"));

        assertThat(problems())
                .singleElement()
                .asString()
                .startsWith(
                        "WARN outbound STARTTLS (use SSL/TLS if supported by the remote server): off: mail goes out in clear")
                .endsWith(
                        "[mailetcontainer.xml <processor state=\"relay\"> <mailet match=\"All\" class=\"RemoteDelivery\"> <startTLS>]");
    }

    @Test
    void outboundStartTlsThatInsistsOnValidCertificatesWarns() throws Exception {
        edit(
                "mailetcontainer.xml",
                xml -> xml.replace(
                        "<startTLS>true</startTLS>\n                <mail.smtp.ssl.trust>*</mail.smtp.ssl.trust>\n                <verifyServerIdentity>false</verifyServerIdentity>\n            </mailet>\n        </processor>",
                        "<startTLS>true</startTLS>\n            </mailet>\n        </processor>"));

        assertThat(problems())
                .singleElement()
                .asString()
                .contains("on, but the remote certificate must be valid for its name")
                .endsWith("<verifyServerIdentity>]");
    }

    @Test
    void theRequireTlsRecipeIsOk() throws Exception {
        edit("mailetcontainer.xml", xml -> xml.replaceAll("(?m)^.*(BEGIN|END) require-TLS recipe.*\\R", ""));

        assertThat(problems()).isEmpty();
        assertThat(lines())
                .contains(
                        "OK   outbound STARTTLS (use SSL/TLS if supported by the remote server): STARTTLS required (never in"
                                + " clear) [mailetcontainer.xml <processor state=\"relay\"> <mailet match=\"HostIs=bank.example, partner.example\""
                                + " class=\"RemoteDelivery\"> <startTLS>]");
    }

    @Test
    void twoRemoteDeliveriesOnOneQueueFail() throws Exception {
        edit(
                "mailetcontainer.xml",
                xml -> xml.replaceAll("(?m)^.*(BEGIN|END) require-TLS recipe.*\\R", "")
                        .replace(
                                "<outgoing>outgoing-tls-required</outgoing>",
                                "<outgoingQueue>outgoing-tls-required</outgoingQueue>"));

        assertThat(problems())
                .containsExactly(
                        "FAIL one queue per RemoteDelivery: 2 RemoteDelivery mailets share the queue 'outgoing':"
                                + " each sends the other's mail with its own settings (mail meant to require TLS can go out in clear); give each its own"
                                + " <outgoing> (note: <outgoingQueue> is not a RemoteDelivery parameter) [mailetcontainer.xml <processor state=\"relay\">"
                                + " <mailet match=\"All\" class=\"RemoteDelivery\"> <outgoing>]");
    }

    @Test
    void webAdminOnTheNetworkWithoutAuthenticationFails() throws Exception {
        edit(
                "webadmin.properties",
                text -> text.replace("host=localhost", "host=0.0.0.0").replace("jwt.enabled=true", ""));

        assertThat(problems())
                .contains("FAIL WebAdmin beyond localhost without authentication: listens on 0.0.0.0 with no"
                        + " authentication: anyone who reaches it can create users and read mail; set host=localhost, or jwt.enabled=true"
                        + " [webadmin.properties host]");
    }

    @Test
    void webAdminWithoutTheShieldsCrossOriginPolicyFails() throws Exception {
        edit("webadmin.properties", text -> text.replace("io.github.smtpshield.webadmin.CorsPolicy,", ""));

        assertThat(problems())
                .containsExactly("FAIL WebAdmin cross-origin requests: James answers every origin"
                        + " (Access-Control-Allow-Origin: *): any web page open in a browser on this host can create users"
                        + " and reset passwords; list io.github.smtpshield.webadmin.CorsPolicy in extensions.routes"
                        + " [webadmin.properties extensions.routes]");
    }

    @Test
    void webAdminOpenToEveryOriginFails() throws Exception {
        edit("webadmin.properties", text -> text + "\ncors.enable=true\ncors.origin=*\n");

        assertThat(problems())
                .containsExactly("FAIL WebAdmin cross-origin requests: cors.origin=* would let every web page drive"
                        + " WebAdmin (the shield refuses it: no page may); name the one origin of your admin page, or set"
                        + " cors.enable=false [webadmin.properties cors.origin]");
    }

    @Test
    void webAdminOpenToOneNamedOriginIsOk() throws Exception {
        edit("webadmin.properties", text -> text + "\ncors.enable=true\ncors.origin=https://admin.example\n");

        assertThat(lines())
                .contains("OK   WebAdmin cross-origin requests: only pages of https://admin.example"
                        + " [webadmin.properties cors.origin]");
    }

    @Test
    void webAdminOnTheNetworkWithJwtIsOk() throws Exception {
        edit("webadmin.properties", text -> text.replace("host=localhost", "host=0.0.0.0"));

        assertThat(problems()).isEmpty();
    }

    @Test
    void aPolicyFileJamesWouldRefuseFails() throws Exception {
        edit("smtpshield.xml", xml -> xml.replace("<maxMessagesPerHour>200<", "<maxMessagesPerHour>lots<"));

        assertThat(problems())
                .contains(
                        "FAIL SMTP Shield policy: James will refuse to start: " + conf.resolve("smtpshield.xml")
                                + ": <smtpshield><perIp><maxMessagesPerHour>: not a whole number: 'lots' [smtpshield.xml <smtpshield>]");
    }

    @Test
    void noListenerGuardedByTheShieldWarns() throws Exception {
        edit(
                "smtpserver.xml",
                xml -> xml.replace("coreHandlersPackage=\"io.github.smtpshield.smtp.ShieldCoreHandlers\"", ""));

        assertThat(problems())
                .singleElement()
                .asString()
                .startsWith("WARN SMTP Shield guards the public listener: no listener runs the shield's handlers");
    }

    @Test
    void anUnreadableFolderCannotBeAudited() {
        assertThatThrownBy(() -> KerioAudit.of(conf.resolve("missing")))
                .isInstanceOf(UnreadableConfException.class)
                .hasMessageEndingWith("missing: not a readable folder");
    }

    @Test
    void aFolderWithoutJamesConfCannotBeAudited() throws Exception {
        Files.delete(conf.resolve("smtpserver.xml"));

        assertThatThrownBy(() -> KerioAudit.of(conf))
                .isInstanceOf(UnreadableConfException.class)
                .hasMessageContaining("smtpserver.xml: cannot read file");
    }
}
