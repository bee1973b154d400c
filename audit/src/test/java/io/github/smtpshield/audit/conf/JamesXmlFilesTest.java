package io.github.smtpshield.audit.conf;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JamesXmlFilesTest {
    @TempDir
    Path conf;

    @BeforeEach
    void copyTheShippedConf() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../conf"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void theShippedConfPasses() {
        assertThatCode(() -> JamesXmlFiles.check(conf)).doesNotThrowAnyException();
    }

    @Test
    void aDoctypeInAnyXmlFileIsRefusedNamingTheFile() throws IOException {
        Path domainList = conf.resolve("domainlist.xml");
        Files.writeString(
                domainList,
                Files.readString(domainList)
                        .replaceFirst(
                                "<domainlist",
                                "<!DOCTYPE domainlist [<!ENTITY % x SYSTEM \"file:///etc/hostname\">]>\n$0"));

        assertThatThrownBy(() -> JamesXmlFiles.check(conf))
                .isInstanceOf(UnreadableConfException.class)
                .hasMessageStartingWith(domainList + ": line ")
                .hasMessageContaining(": malformed XML: DOCTYPE is disallowed");
    }

    @Test
    void otherFilesAreNotXmlFiles() throws IOException {
        Files.writeString(conf.resolve("notes.txt"), "<!DOCTYPE nonsense");

        assertThatCode(() -> JamesXmlFiles.check(conf)).doesNotThrowAnyException();
    }
}
