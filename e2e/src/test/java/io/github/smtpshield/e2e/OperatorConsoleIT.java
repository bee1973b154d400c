package io.github.smtpshield.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.smtpshield.e2e.ShieldServer.CommandResult;
import io.github.smtpshield.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console on the packaged server, with WebAdmin's JWT authentication on ({@code WEBADMIN_JWT=true}): the
 * commands of {@code bin/smtp-shield} (their token signed with the install's {@code conf/jwt_privatekey}), and the
 * dashboard page in a real headless Chromium, its token pasted in. Each test has its own client addresses (127.0.0.1, the only exempt one, is never a client).
 */
class OperatorConsoleIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ShieldServer server;
    private static String token;

    @BeforeAll
    static void start() {
        server = TestPolicy.trustOnlyLocalhost(ShieldServer.prepare())
                .writeConf("smtpshield.xml", TestPolicy.with("""
                    <maxMessagesPerHour mode="observe">100</maxMessagesPerHour>
                    <maxConcurrentConnections>5</maxConcurrentConnections>
                    <maxUnknownRecipients window="1h" blockFor="1h">2</maxUnknownRecipients>
                    """, """
                    <maxFailedCommands>3</maxFailedCommands>
                    """))
                // WebAdmin asks for a token; the commands sign their own with the install's conf/jwt_privatekey.
                .environment("WEBADMIN_JWT", "true")
                .start();
        CommandResult printed = server.runLauncher("token");
        assertThat(printed.exitStatus()).as(printed.output()).isZero();
        token = printed.output().strip();
        server.webAdmin(token).createUser("example.test", "alice@example.test", "secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Three unknown recipients under a limit of two: the third is answered 421 4.7.1 and blocks the address. */
    private static void harvestFrom(String address) {
        try (SmtpClient harvester = SmtpClient.connect(address, server.smtpPort())) {
            assertThat(harvester.greeting().code()).isEqualTo(220);
            harvester.send("EHLO harvester.test");
            harvester.send("MAIL FROM:<spam@harvester.test>");
            assertThat(harvester.send("RCPT TO:<aaron@example.test>").line()).startsWith("550 5.1.1");
            assertThat(harvester.send("RCPT TO:<abel@example.test>").line()).startsWith("550 5.1.1");
            assertThat(harvester.send("RCPT TO:<adam@example.test>").line()).startsWith("421 4.7.1");
        }
    }

    private static String greetingOf(String address) {
        try (SmtpClient client = SmtpClient.connect(address, server.smtpPort())) {
            return client.greeting().line();
        }
    }

    private static CommandResult run(String... args) {
        return server.runLauncher(args);
    }

    @Test
    void anOperatorBlocksListsInspectsAndLiftsAClientFromTheCommandLine() throws Exception {
        CommandResult block = run("block", "127.0.0.20", "--for", "2h", "--reason", "abuse desk 7");
        assertThat(block.exitStatus()).as(block.output()).isZero();
        assertThat(block.output()).startsWith("blocked: 127.0.0.20 until ").contains("(abuse desk 7)");
        assertThat(greetingOf("127.0.0.20")).startsWith("421 4.7.1");

        CommandResult blocks = run("blocks");
        assertThat(blocks.exitStatus()).as(blocks.output()).isZero();
        assertThat(blocks.output().lines().findFirst())
                .hasValueSatisfying(
                        heading -> assertThat(heading).matches("CLIENT +REASON +SINCE +UNTIL +LENGTH +OFFENCES"));
        assertThat(blocks.output()).containsPattern("(?m)^127\\.0\\.0\\.20 +abuse desk 7 +\\S+ +\\S+ +\\S+ +1$");

        CommandResult json = run("blocks", "--json");
        assertThat(json.exitStatus()).isZero();
        assertThat(JSON.readTree(json.output()).findValuesAsText("ip")).contains("127.0.0.20");

        CommandResult counters = run("counters", "127.0.0.20");
        assertThat(counters.exitStatus()).as(counters.output()).isZero();
        assertThat(counters.output())
                .containsPattern("(?m)^client +127\\.0\\.0\\.20$")
                .containsPattern("(?m)^blocked +until \\S+ \\(abuse desk 7\\)$");

        CommandResult unblock = run("unblock", "127.0.0.20");
        assertThat(unblock.exitStatus()).as(unblock.output()).isZero();
        assertThat(unblock.output()).isEqualTo("lifted the block of 127.0.0.20\n");
        assertThat(greetingOf("127.0.0.20")).startsWith("220 ");

        CommandResult again = run("unblock", "127.0.0.20");
        assertThat(again.exitStatus()).isEqualTo(1);
        assertThat(again.output())
                .isEqualTo("smtp-shield unblock: DELETE /smtpshield/blocked/127.0.0.20: 404 127.0.0.20 is not"
                        + " blocked\n");
    }

    @Test
    void statusShowsEachRuleTheStoreAndTheTopClientsByRefusals() throws Exception {
        harvestFrom("127.0.0.21");

        CommandResult status = run("status");

        assertThat(status.exitStatus()).as(status.output()).isZero();
        assertThat(status.output())
                .contains("store: memory, up (")
                .containsPattern("(?m)^RULE +STATE +REFUSED 1H +OBSERVED 1H$")
                .containsPattern("(?m)^maxMessagesPerHour +observe +\\d+ +\\d+$")
                .containsPattern("(?m)^maxUnknownRecipients +on +[1-9]\\d* +0$")
                .containsPattern("(?m)^maxRecipientsPerMessage +off +0 +0$")
                .contains("top clients by refusals, last hour:")
                .containsPattern("(?m)^127\\.0\\.0\\.21 +1 +0$");

        JsonNode json = JSON.readTree(run("status", "--json").output());
        assertThat(json.get("store").get("up").asBoolean()).isTrue();
        assertThat(json.get("topClients").findValuesAsText("ip")).contains("127.0.0.21");
        assertThat(JSON.readTree(run("blocks", "--json").output()).findValuesAsText("ip"))
                .contains("127.0.0.21");
    }

    @Test
    void policyPrintsThePolicyInForce() {
        CommandResult policy = run("policy");

        assertThat(policy.exitStatus()).as(policy.output()).isZero();
        assertThat(policy.output())
                .containsPattern("(?m)^perIp:$")
                .containsPattern("(?m)^  maxUnknownRecipients:$")
                .containsPattern("(?m)^    blockFor: 1h$")
                .containsPattern("(?m)^  networks: 127\\.0\\.0\\.1/32, ::1/128$");
    }

    @Test
    void aRefusalExitsOneAndAServerThatCannotBeReachedTwoEachWithOneLine() {
        CommandResult exempt = run("block", "127.0.0.1");
        assertThat(exempt.exitStatus()).isEqualTo(1);
        assertThat(exempt.output())
                .startsWith(
                        "smtp-shield block: PUT /smtpshield/blocked/127.0.0.1: 409 127.0.0.1 is in an exempt network")
                .hasLineCount(1);

        CommandResult badToken = run("status", "--token", "not-a-token");
        assertThat(badToken.exitStatus()).isEqualTo(1);
        assertThat(badToken.output())
                .startsWith("smtp-shield status: GET /smtpshield/status: 401")
                .contains("WebAdmin asks for a JWT")
                .hasLineCount(1);

        CommandResult notAnAddress = run("unblock", "../../users/alice@example.test");
        assertThat(notAnAddress.exitStatus()).isEqualTo(1);
        assertThat(notAnAddress.output()).startsWith("smtp-shield unblock: ").hasLineCount(1);

        int nothingThere = FreePorts.take();
        CommandResult unreachable = run("status", "--url", "http://127.0.0.1:" + nothingThere);
        assertThat(unreachable.exitStatus()).isEqualTo(2);
        assertThat(unreachable.output())
                .isEqualTo("smtp-shield status: cannot reach WebAdmin at http://127.0.0.1:" + nothingThere
                        + ": connection refused\n");
    }

    @Test
    void theDashboardInChromiumShowsTheBlockOfAHarvesterAndLiftsItWithItsButton(@TempDir Path profile)
            throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs headless Chromium: apt-get install chromium chromium-driver (Debian), for " + CHROMIUM + " and "
                        + CHROMEDRIVER);
        harvestFrom("127.0.0.2");
        assertThat(greetingOf("127.0.0.2")).startsWith("421 4.7.1");
        // More to see on the page: a client over the failed-command limit, an operator's block.
        try (SmtpClient clumsy = SmtpClient.connect("127.0.0.3", server.smtpPort())) {
            for (int i = 0; i < 4; i++) {
                clumsy.send("NONSENSE");
            }
        }
        assertThat(run("block", "198.51.100.7", "--reason", "abuse report 42").exitStatus())
                .isZero();

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--window-size=1400,1150");
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            String base = "http://127.0.0.1:" + server.port("WEBADMIN_PORT");
            browser.get(base + "/smtpshield-ui");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            // Without the token WebAdmin refuses the page's calls, and the page says so.
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"), "JWT"));

            browser.findElement(By.id("token")).sendKeys(token);
            browser.findElement(By.id("save-token")).click();
            By harvester = By.cssSelector("#blocks tbody tr[data-ip='127.0.0.2']");
            WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(harvester));
            assertThat(row.getText()).contains("127.0.0.2").contains("HARVEST");
            assertThat(browser.executeScript("return sessionStorage.getItem('smtpshield.webadmin.token')"))
                    .isEqualTo(token);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("clients"), "127.0.0.2"));
            assertThat(browser.findElements(By.cssSelector("#chart svg rect"))).isNotEmpty();
            assertThat(browser.findElement(By.id("legend")).getText()).contains("maxUnknownRecipients");
            assertThat(browser.findElement(By.id("policy")).getText()).contains("\"maxUnknownRecipients\"");
            assertThat(browser.findElement(By.id("rules")).getText()).contains("maxUnknownRecipients on");
            // Everything the page loaded came from this server.
            @SuppressWarnings("unchecked")
            List<String> loaded = (List<String>) ((JavascriptExecutor) browser)
                    .executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
            assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base + "/"));
            screenshot(browser);

            // The page draws a table again only when its data changed; a stale row is found again all the same.
            wait.ignoring(StaleElementReferenceException.class).until(page -> {
                page.findElement(harvester)
                        .findElement(By.cssSelector("button.lift"))
                        .click();
                return true;
            });

            wait.until(ExpectedConditions.invisibilityOfElementLocated(harvester));
            assertThat(browser.findElements(By.cssSelector("#blocks tbody tr[data-ip='198.51.100.7']")))
                    .hasSize(1);
        } finally {
            browser.quit();
        }
        assertThat(greetingOf("127.0.0.2")).startsWith("220 ");
        assertThat(server.securityLog()).contains("Block of 127.0.0.2 lifted by an operator: HARVEST");
    }

    /** The page as the test saw it, in target/ (docs/dashboard.png is a copy). */
    private static void screenshot(ChromeDriver browser) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
