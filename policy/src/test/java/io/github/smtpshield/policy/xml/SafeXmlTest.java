package io.github.smtpshield.policy.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class SafeXmlTest {
    @TempDir
    Path dir;

    private Path write(String name, String xml) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, xml, UTF_8);
        return file;
    }

    @Test
    void readsTheRootElement() throws Exception {
        Path file = write("a.xml", "<?xml version=\"1.0\"?>\n<smtpservers><smtpserver/></smtpservers>\n");

        assertThat(SafeXml.read(file).getTagName()).isEqualTo("smtpservers");
    }

    @Test
    void aDoctypeIsRefusedBeforeAnyEntityIsRead() throws Exception {
        Path secret = write("secret", "10.0.0.0/8");
        Path file = write(
                "smtpserver.xml",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE smtpservers [<!ENTITY % remote SYSTEM \"" + secret.toUri()
                        + "\"> %remote;]>\n<smtpservers/>\n");

        assertThatThrownBy(() -> SafeXml.read(file))
                .isInstanceOf(SafeXml.UnreadableXmlException.class)
                .hasMessageStartingWith(file + ": line 2: malformed XML: DOCTYPE is disallowed")
                .hasMessageNotContaining("\n");
    }

    @Test
    void malformedXmlNamesTheFileAndLineAndPrintsNothingOnStderr() throws Exception {
        Path file = write("broken.xml", "<a>\n  <b>\n</a>\n");
        PrintStream stderr = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setErr(new PrintStream(printed, true, UTF_8));
        try {
            assertThatThrownBy(() -> SafeXml.read(file))
                    .isInstanceOf(SafeXml.UnreadableXmlException.class)
                    .hasMessage(file + ": line 3: malformed XML: The element type \"b\" must be terminated by the"
                            + " matching end-tag \"</b>\".");
        } finally {
            System.setErr(stderr);
        }
        assertThat(printed.toString(UTF_8)).isEmpty();
    }

    @Test
    void aStreamIsNamedByItsSource() {
        assertThatThrownBy(() -> SafeXml.read(new ByteArrayInputStream(new byte[0]), "conf/smtpshield.xml"))
                .isInstanceOf(SafeXml.UnreadableXmlException.class)
                .hasMessage("conf/smtpshield.xml: line 1: malformed XML: Premature end of file.");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.xml");

        assertThatThrownBy(() -> SafeXml.read(missing))
                .isInstanceOf(SafeXml.UnreadableXmlException.class)
                .hasMessage(missing + ": cannot read file: no such file");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void closesEveryFileItOpens() throws Exception {
        Path good = write("good.xml", "<a/>");
        Path bad = write("bad.xml", "<a>");
        long before = openFiles();

        for (int i = 0; i < 200; i++) {
            SafeXml.read(good);
            assertThatThrownBy(() -> SafeXml.read(bad)).isInstanceOf(SafeXml.UnreadableXmlException.class);
        }

        assertThat(openFiles()).isLessThan(before + 50);
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.count();
        }
    }
}
