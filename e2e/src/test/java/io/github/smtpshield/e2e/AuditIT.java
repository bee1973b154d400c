package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code bin/smtp-shield audit [conf-dir]} of the packaged distribution: the Kerio checklist and its exit status. */
class AuditIT {
    private static ShieldServer dist;

    @BeforeAll
    static void prepare() {
        dist = ShieldServer.prepare();
    }

    @AfterAll
    static void cleanUp() {
        dist.close();
    }

    @Test
    void theShippedConfPassesWithExitZeroAndOneWarning() {
        ShieldServer.CommandResult audit = dist.runLauncher("audit");

        assertThat(audit.exitStatus()).as(audit.output()).isZero();
        assertThat(audit.output())
                .contains("OK   open relay: smtpserver-global (0.0.0.0:" + dist.smtpPort() + ")")
                .contains(
                        "OK   outbound STARTTLS (use SSL/TLS if supported by the remote server): STARTTLS whenever the remote offers it")
                .contains(
                        "OK   WebAdmin beyond localhost without authentication: listens on localhost only [webadmin.properties host]")
                .doesNotContain("FAIL");
        // The one WARN of the shipped conf: WebAdmin asks for no token until the operator turns JWT on.
        assertThat(audit.output().lines().filter(line -> line.startsWith("WARN")))
                .singleElement()
                .asString()
                .startsWith("WARN WebAdmin authentication: none");
    }

    @Test
    void aFailingConfExitsOneWithTheLineToFix() {
        try (ShieldServer bad = ShieldServer.prepare()) {
            bad.editConf("webadmin.properties", text -> text.replace("host=localhost", "host=0.0.0.0"));

            ShieldServer.CommandResult audit =
                    bad.runLauncher("audit", bad.home().resolve("conf").toString());

            assertThat(audit.exitStatus()).as(audit.output()).isEqualTo(1);
            assertThat(audit.output())
                    .contains("FAIL WebAdmin beyond localhost without authentication: listens on 0.0.0.0 with no"
                            + " authentication");
        }
    }

    @Test
    void anUnreadableFolderExitsTwo() {
        ShieldServer.CommandResult audit = dist.runLauncher("audit", "no-such-folder");

        assertThat(audit.exitStatus()).isEqualTo(2);
        assertThat(audit.output())
                .contains("smtp-shield audit: " + dist.home().resolve("no-such-folder") + ": not a readable folder");
    }

    @Test
    void aFolderOnTheCommandLineIsRelativeToWhereTheCommandRuns() {
        // runLauncher runs in the install folder: "conf" there is the shipped conf.
        assertThat(dist.runLauncher("audit", "conf").exitStatus()).isZero();
    }
}
