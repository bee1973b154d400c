package io.github.smtpshield.policy.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JamesAddressListTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.0/8                        | 127.0.0.0/8",
                "127.0.0.0/255.0.0.0                | 127.0.0.0/8",
                "10.1.0.0/255.255.240.0             | 10.1.0.0/20",
                "127.0.0.*                          | 127.0.0.0/24",
                "10.*                               | 10.0.0.0/8",
                "10.1.*.*                           | 10.1.0.0/16",
                "*.*.*.*                            | 0.0.0.0/0",
                "*                                  | 0.0.0.0/0, ::/0",
                "0.0.0.0                            | 0.0.0.0/0",
                "0.0.0.0/0.0.0.0                    | 0.0.0.0/0",
                "192.0.2.1                          | 192.0.2.1/32",
                "2001:db8::/32                      | 2001:db8::/32",
                "2001:db8::%48                      | 2001:db8::/48",
                "::1                                | ::1/128",
                "127.0.0.0/8, 192.0.2.0/24,  ::1    | 127.0.0.0/8, 192.0.2.0/24, ::1/128",
                "'localhost, mail.example.com'      | ''",
                "'10.*.1.*, 1.2.3.4.*, 300.0.0.0/8' | ''",
                "'2001:db8::*, 127.0.0.0/abc'       | ''",
                "''                                 | ''",
            })
    void convertsWhatItCan(String authorizedAddresses, String networks) {
        assertThat(JamesAddressList.parse(authorizedAddresses)).hasToString(networks);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0.0.0.0/0                 | true",
                "0.0.0.0                   | true",
                "::/0                      | true",
                "*                         | true",
                "*.*.*.*                   | true",
                "0.0.0.0/0.0.0.0           | true",
                "'0.0.0.0/1, 128.0.0.0/1'  | true",
                "'127.0.0.0/8, *'          | true",
                "0.0.0.0/1                 | false",
                "127.0.0.0/8               | false",
                "'127.0.0.0/8, ::1/128'    | false",
                "0.0.0.0/255.255.255.254   | false",
                "localhost                 | false",
            })
    void findsAnOpenRelay(String authorizedAddresses, boolean open) {
        assertThat(JamesAddressList.parse(authorizedAddresses).coversEverything())
                .isEqualTo(open);
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, true",
        "127.255.255.255, true",
        "128.0.0.1, false",
    })
    void matchesLikeJames(String client, boolean authorized) throws Exception {
        NetworkSet networks = JamesAddressList.parse("127.0.0.0/255.0.0.0");

        assertThat(networks.contains(InetAddress.getByName(client))).isEqualTo(authorized);
    }
}
