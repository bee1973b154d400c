package io.github.smtpshield.policy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisUriTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # as written                                 | redacted                             | without credentials               | hosts
            redis://:S3cr3t@redis.example:6379/0         | redis://***@redis.example:6379/0     | redis://redis.example:6379/0      | redis.example:6379
            rediss://user:S3cr3t@10.0.0.1                | rediss://***@10.0.0.1                | rediss://10.0.0.1                 | 10.0.0.1
            redis://10.0.0.1:6379                        | redis://10.0.0.1:6379                | redis://10.0.0.1:6379             | 10.0.0.1:6379
            redis://:S3cr3t@10.0.0.1:7000,10.0.0.2:7000  | redis://***@10.0.0.1:7000,10.0.0.2:7000 | redis://10.0.0.1:7000,10.0.0.2:7000 | 10.0.0.1:7000,10.0.0.2:7000
            redis://:pa/S3cr3t@host:6379/0               | redis://***@host:6379/0              | redis://host:6379/0               | host:6379
            redis://:S3?cr#3t@host                       | redis://***@host                     | redis://host                      | host
            redis://u:S3@cr@3t@host:6379?timeout=5s      | redis://***@host:6379?timeout=5s     | redis://host:6379?timeout=5s      | host:6379
            redis://:S3cr3t%zz@host:6379                 | redis://***@host:6379                | redis://host:6379                 | host:6379
            :S3cr3t@host:6379                            | ***@host:6379                        | host:6379                         | host:6379
            redis-sentinel://:S3cr3t@s1:26379,s2:26379/0#mymaster | redis-sentinel://***@s1:26379,s2:26379/0#mymaster | redis-sentinel://s1:26379,s2:26379/0#mymaster | s1:26379,s2:26379
            redis-socket:///var/run/redis.sock           | redis-socket:///var/run/redis.sock   | redis-socket:///var/run/redis.sock |
            """)
    void theCredentialsEndAtTheLastAtSign(String written, String redacted, String withoutCredentials, String hosts) {
        RedisUri uri = RedisUri.of(written);

        assertThat(uri.redacted()).isEqualTo(redacted);
        assertThat(uri).hasToString(redacted);
        assertThat(uri.withoutCredentials()).isEqualTo(withoutCredentials);
        assertThat(uri.hosts()).isEqualTo(hosts == null ? "" : hosts);
        assertThat(uri.text()).isEqualTo(written);
    }

    @Test
    void scrubbingMasksThePasswordInAnyFormItMayBeEchoed() {
        RedisUri uri = RedisUri.of("redis://admin:S3cr%2Ft!@host:6379");

        assertThat(uri.scrub("NOAUTH for admin:S3cr%2Ft! at host")).isEqualTo("NOAUTH for *** at host");
        assertThat(uri.scrub("auth S3cr%2Ft! failed")).isEqualTo("auth *** failed");
        assertThat(uri.scrub("auth S3cr/t! failed")).as("percent-decoded").isEqualTo("auth *** failed");
        assertThat(uri.scrub("Connection refused: host/127.0.0.1:6379"))
                .isEqualTo("Connection refused: host/127.0.0.1:6379");
        assertThat(uri.scrub(null)).isNull();
        assertThat(RedisUri.of("redis://host:6379").scrub("host:6379 down")).isEqualTo("host:6379 down");
    }
}
