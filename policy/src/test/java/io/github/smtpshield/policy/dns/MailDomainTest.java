package io.github.smtpshield.policy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;

class MailDomainTest {

    @ParameterizedTest
    @CsvSource({
        "example.com, example.com.",
        "Example.COM, example.com.",
        "example.com., example.com.",
        "a, a.",
        "mail-1.x2.example, mail-1.x2.example.",
        "xn--bcher-kva.example, xn--bcher-kva.example.",
        "Bücher.example, xn--bcher-kva.example.",
        "bücher。example, xn--bcher-kva.example.",
    })
    void aHostNameBecomesItsAbsoluteLowerCaseAsciiName(String domain, String name) throws Exception {
        assertThat(MailDomain.toName(domain)).contains(Name.fromString(name));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "a..b",
                ".example.com",
                "example..",
                "-example.com",
                "example-.com",
                "exa_mple.com",
                "exa mple.com",
                "example.com\r\n",
                "ex@mple.com",
                "bü_cher.example",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
            })
    void anythingElseIsNoHostName(String domain) {
        assertThat(MailDomain.toName(domain)).isEmpty();
    }

    @Test
    void aLabelHasAtMost63CharactersAndANameAtMost253() {
        String label = "a".repeat(63);
        assertThat(MailDomain.toName(label + ".example")).isPresent();
        assertThat(MailDomain.toName(label + "a.example")).isEmpty();
        String name254 = String.join(".", label, label, label, "a".repeat(62));
        assertThat(name254).hasSize(254);
        assertThat(MailDomain.toName(name254)).isEmpty();
    }
}
