package io.github.smtpshield.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneFileTest {

    private static final List<String> ZONE = List.of(
            "# the domains of the end-to-end tests",
            "MX       example.test       10 mail.example.test",
            "A        mail.example.test  127.0.0.1",
            "aaaa     v6only.test        ::1      # keywords in any case",
            "",
            "NULLMX   nullmx.test",
            "PTR      127.0.0.2          mail.example.test.",
            "SERVFAIL broken.test",
            "SILENT   slow.test");

    @TempDir
    Path dir;

    @Test
    void loadsEveryKindOfEntry() throws IOException {
        try (LoopbackDnsServer dns = new LoopbackDnsServer().zone(zoneFile(ZONE))) {
            WireClient resolver = new WireClient(dns.address());
            assertThat(answer(resolver, "example.test", Type.MX)).isEqualTo("10 mail.example.test.");
            assertThat(answer(resolver, "mail.example.test", Type.A)).isEqualTo("127.0.0.1");
            assertThat(answer(resolver, "v6only.test", Type.AAAA)).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(answer(resolver, "nullmx.test", Type.MX)).isEqualTo("0 .");
            assertThat(answer(resolver, "2.0.0.127.in-addr.arpa", Type.PTR)).isEqualTo("mail.example.test.");
            assertThat(query(resolver, "broken.test", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThatThrownBy(() -> query(resolver, "slow.test", Type.A)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void badLineNamesFileAndLine() throws IOException {
        Path file = zoneFile(List.of("A ok.test 127.0.0.1", "MX bad.test ten mail.test"));
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            assertThatThrownBy(() -> dns.zone(file))
                    .hasMessage(file + ":2: MX preference must be 0 to 65535, found 'ten'");
        }
    }

    @Test
    void unknownKeywordAndWrongArityAreRejected() throws IOException {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            Path unknown = zoneFile(List.of("CNAME a.test b.test"));
            assertThatThrownBy(() -> dns.zone(unknown)).hasMessage(unknown + ":1: unknown keyword 'CNAME'");
            Path arity = zoneFile(List.of("A a.test"));
            assertThatThrownBy(() -> dns.zone(arity)).hasMessage(arity + ":1: A takes 2 value(s), found 1");
        }
    }

    @Test
    void runsAsAProcessAndPrintsItsPort() throws Exception {
        Path file = zoneFile(ZONE);
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LoopbackDnsServer.class.getName(),
                        file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).matches("listening 127\\.0\\.0\\.1:\\d+");
            int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));

            WireClient resolver = new WireClient(new InetSocketAddress("127.0.0.1", port));
            assertThat(answer(resolver, "mail.example.test", Type.A)).isEqualTo("127.0.0.1");
            assertThat(process.isAlive()).isTrue();
        } finally {
            process.destroy();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void processWithABadZoneFileExitsWithTheReason() throws Exception {
        Path file = zoneFile(List.of("BOGUS x.test"));
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LoopbackDnsServer.class.getName(),
                        file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output).contains(file + ":1: unknown keyword 'BOGUS'");
    }

    private Path zoneFile(List<String> lines) throws IOException {
        return Files.write(Files.createTempFile(dir, "zone", ".txt"), lines);
    }

    private static Message query(WireClient resolver, String name, int type) throws IOException {
        return resolver.udp(name, type);
    }

    private static String answer(WireClient resolver, String name, int type) throws IOException {
        return query(resolver, name, type).getSection(Section.ANSWER).get(0).rdataToString();
    }
}
