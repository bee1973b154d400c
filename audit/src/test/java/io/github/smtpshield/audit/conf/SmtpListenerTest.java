package io.github.smtpshield.audit.conf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one reader of smtpserver.xml: James's defaults, its booleans and its placeholders. */
class SmtpListenerTest {
    private static final String PORT_PROPERTY = "smtpshield.test.smtpListener.port";

    private static List<SmtpListener> read(String servers) throws UnreadableConfException {
        String xml = "<?xml version=\"1.0\"?>\n<smtpservers>" + servers + "</smtpservers>";
        return SmtpListener.read(new ByteArrayInputStream(xml.getBytes(UTF_8)), "conf/smtpserver.xml");
    }

    @Test
    void whatIsLeftOutHasJamesDefaults() throws Exception {
        assertThat(read("<smtpserver/>"))
                .containsExactly(
                        new SmtpListener("smtpserver", "0.0.0.0:25", false, false, false, "", 0, false, false));
    }

    @Test
    void aDisabledListenerIsLeftOutInAnyOfJamesWordsForFalse() throws Exception {
        assertThat(read("<smtpserver enabled=\"false\"/><smtpserver enabled=\"no\"/><smtpserver enabled=\"OFF\"/>"
                        + "<smtpserver enabled=\"true\"><jmxName>on</jmxName></smtpserver>"))
                .extracting(SmtpListener::name)
                .containsExactly("on");
    }

    @Test
    void systemPropertiesAndEnvironmentVariablesAreResolvedAsJamesResolvesThem() throws Exception {
        System.setProperty(PORT_PROPERTY, "2525");
        try {
            List<SmtpListener> listeners = read("<smtpserver><jmxName>${env:PATH}</jmxName>"
                    + "<bind>0.0.0.0:${sys:" + PORT_PROPERTY + "}</bind></smtpserver>"
                    + "<smtpserver><bind>0.0.0.0:${sys:smtpshield.test.unset}</bind></smtpserver>");

            assertThat(listeners.get(0).bind()).isEqualTo("0.0.0.0:2525");
            assertThat(listeners.get(0).name()).isEqualTo(System.getenv("PATH"));
            assertThat(listeners.get(1).bind())
                    .as("an unresolved placeholder stays as it is, as in James")
                    .isEqualTo("0.0.0.0:${sys:smtpshield.test.unset}");
        } finally {
            System.clearProperty(PORT_PROPERTY);
        }
    }

    @Test
    void whatTheAuditAndTheGuardReadOfAListener() throws Exception {
        assertThat(read("<smtpserver><jmxName>smtpserver-TLS</jmxName><bind> 0.0.0.0:465 </bind>"
                        + "<tls socketTLS=\"yes\"/><auth><announce>always</announce><requireSSL>true</requireSSL></auth>"
                        + "<authorizedAddresses> 127.0.0.0/8, ::1 </authorizedAddresses><maxmessagesize>100</maxmessagesize>"
                        + "<handlerchain coreHandlersPackage=\"io.github.smtpshield.smtp.ShieldCoreHandlers\"/>"
                        + "<proxyRequired>true</proxyRequired></smtpserver>"))
                .containsExactly(new SmtpListener(
                        "smtpserver-TLS", "0.0.0.0:465", true, true, true, "127.0.0.0/8, ::1", 100 * 1024, true, true));
    }

    @Test
    void aDoctypeIsRefusedWithTheFileAndLine() {
        assertThatThrownBy(() -> SmtpListener.read(
                        new ByteArrayInputStream(
                                "<!DOCTYPE smtpservers [<!ENTITY a \"b\">]>\n<smtpservers/>".getBytes(UTF_8)),
                        "conf/smtpserver.xml"))
                .isInstanceOf(UnreadableConfException.class)
                .hasMessageStartingWith("conf/smtpserver.xml: line 1: malformed XML: DOCTYPE is disallowed");
    }
}
