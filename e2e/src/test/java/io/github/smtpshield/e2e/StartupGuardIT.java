package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The packaged server refuses to start as an open relay or with a bad policy file, with one clear line. */
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
}
