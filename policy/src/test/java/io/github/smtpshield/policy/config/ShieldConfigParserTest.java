package io.github.smtpshield.policy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.rules.ClientWithoutPtrCheck;
import io.github.smtpshield.policy.rules.ConnectionLimit;
import io.github.smtpshield.policy.rules.DnsblScreening;
import io.github.smtpshield.policy.rules.FailedCommandLimit;
import io.github.smtpshield.policy.rules.MessageRateLimit;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import io.github.smtpshield.policy.rules.RecipientLimit;
import io.github.smtpshield.policy.rules.SessionDurationLimit;
import io.github.smtpshield.policy.rules.UnknownRecipientLimit;
import io.github.smtpshield.policy.rules.UnknownSenderDomainCheck;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShieldConfigParserTest {

    private static final String SOURCE = "conf/smtpshield.xml";

    private static final String DESIGN_EXAMPLE = """
            <smtpshield>
              <exempt>
                <networks>127.0.0.0/8, ::1/128</networks>         <!-- Kerio: "do not apply these limits to IP group" -->
                <authenticatedUsers>true</authenticatedUsers>
              </exempt>
              <perIp ipv4Prefix="32" ipv6Prefix="64">
                <maxMessagesPerHour>200</maxMessagesPerHour>
                <maxConcurrentConnections>10</maxConcurrentConnections>
                <maxUnknownRecipients window="1h" blockFor="1h">10</maxUnknownRecipients>
              </perIp>
              <session>
                <maxFailedCommands>10</maxFailedCommands>
                <maxRecipientsPerMessage>100</maxRecipientsPerMessage>
                <maxMessageSize>25M</maxMessageSize>
              </session>
              <dns timeout="5s">
                <servers>127.0.0.1:53</servers>                    <!-- optional; default: the system's resolvers -->
                <rejectUnknownSenderDomain>true</rejectUnknownSenderDomain>
                <rejectClientWithoutPtr>true</rejectClientWithoutPtr>
              </dns>
              <relay>
                <allowOpenRelay>false</allowOpenRelay>              <!-- true only to override the start-up guard -->
              </relay>
              <store type="memory"/>                               <!-- or: <store type="redis" uri="redis://127.0.0.1:6379"/> -->
            </smtpshield>
            """;

    @TempDir
    Path dir;

    @Test
    void readsTheDesignExample() throws Exception {
        Path file = dir.resolve("smtpshield.xml");
        Files.writeString(file, DESIGN_EXAMPLE);

        ShieldConfig config = ShieldConfigParser.parse(file);

        assertThat(config)
                .isEqualTo(ShieldConfig.defaults()
                        .with(new Exemptions(NetworkSet.parse("127.0.0.0/8, ::1/128"), true))
                        .with(new PerIpSettings(32, 64, 1_000_000))
                        .with(new DnsSettings(
                                Duration.ofSeconds(5),
                                List.of(new InetSocketAddress(
                                        InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 53))))
                        .with(MessageRateLimit.ELEMENT, new Limit(200, Mode.ENFORCE))
                        .with(ConnectionLimit.ELEMENT, new Limit(10, Mode.ENFORCE))
                        .with(
                                UnknownRecipientLimit.ELEMENT,
                                new HarvestLimit(10, Duration.ofHours(1), Duration.ofHours(1), Mode.ENFORCE))
                        .with(FailedCommandLimit.ELEMENT, new Limit(10, Mode.ENFORCE))
                        .with(RecipientLimit.ELEMENT, new Limit(100, Mode.ENFORCE))
                        .with(MessageSizeLimit.ELEMENT, new Limit(25L * 1024 * 1024, Mode.ENFORCE))
                        .with(UnknownSenderDomainCheck.ELEMENT, new Check(true, Mode.ENFORCE))
                        .with(ClientWithoutPtrCheck.ELEMENT, new Check(true, Mode.ENFORCE)));
        assertThat(config.exempt().isExempt(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(config.exempt().isExempt(InetAddress.getByName("192.0.2.1"))).isFalse();
    }

    @Test
    void anEmptyFileMeansTheDefaults() throws Exception {
        ShieldConfig config = parse("<smtpshield/>");

        assertThat(config).isEqualTo(ShieldConfig.defaults());
        assertThat(config.exempt().networks().ranges()).isEmpty();
        assertThat(config.exempt().authenticatedUsers()).isTrue();
        assertThat(config.perIp()).isEqualTo(new PerIpSettings(32, 64, 1_000_000));
        assertThat(config.rules()).isEmpty();
        assertThat(config.rule(MessageRateLimit.ELEMENT).enabled()).isFalse();
        assertThat(config.rule(UnknownRecipientLimit.ELEMENT).enabled()).isFalse();
        assertThat(config.rule(MessageSizeLimit.ELEMENT).enabled()).isFalse();
        assertThat(config.dns()).isEqualTo(new DnsSettings(Duration.ofSeconds(5), List.of()));
        assertThat(config.rule(UnknownSenderDomainCheck.ELEMENT)).isEqualTo(new Check(false, Mode.ENFORCE));
        assertThat(config.rule(ClientWithoutPtrCheck.ELEMENT)).isEqualTo(new Check(false, Mode.ENFORCE));
        assertThat(config.relay().allowOpenRelay()).isFalse();
        assertThat(config.trustedProxies().ranges()).isEmpty();
        assertThat(config.rule(SessionDurationLimit.ELEMENT)).isEqualTo(DurationLimit.of(Duration.ofMinutes(10)));
        assertThat(config.store())
                .isEqualTo(new StoreSettings(
                        StoreSettings.Type.MEMORY,
                        Optional.empty(),
                        StoreSettings.FailureMode.OPEN,
                        StoreSettings.DEFAULT_TIMEOUT,
                        StoreSettings.DEFAULT_LEASE,
                        false));
    }

    @Test
    void emptySectionsMeanTheirDefaults() throws Exception {
        assertThat(parse("<smtpshield><exempt/><perIp/><session/><dns/><relay/><store/></smtpshield>"))
                .isEqualTo(ShieldConfig.defaults());
    }

    @Test
    void zeroTurnsALimitOff() throws Exception {
        ShieldConfig config =
                parse("<smtpshield><perIp><maxMessagesPerHour>0</maxMessagesPerHour></perIp></smtpshield>");

        assertThat(config.rule(MessageRateLimit.ELEMENT).enabled()).isFalse();
    }

    @Test
    void readsTheTrustedProxiesAtTheTopLevel() throws Exception {
        ShieldConfig config =
                parse("<smtpshield><trustedProxies> 10.0.0.10/32, 2001:db8::/64 </trustedProxies></smtpshield>");

        assertThat(config.isTrustedProxy(InetAddress.getByName("10.0.0.10"))).isTrue();
        assertThat(config.isTrustedProxy(InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(config.isTrustedProxy(InetAddress.getByName("10.0.0.11"))).isFalse();
    }

    @Test
    void theSessionsMaximumAgeIsADurationAndZeroTurnsItOff() throws Exception {
        assertThat(parse("<smtpshield><session><maxDuration mode='observe'>90s</maxDuration></session></smtpshield>")
                        .rule(SessionDurationLimit.ELEMENT))
                .isEqualTo(new DurationLimit(Duration.ofSeconds(90), Mode.OBSERVE));
        assertThat(parse("<smtpshield><session><maxDuration>0s</maxDuration></session></smtpshield>")
                        .rule(SessionDurationLimit.ELEMENT)
                        .enabled())
                .isFalse();
    }

    @Test
    void anyRuleMayBeObserved() throws Exception {
        ShieldConfig config = parse("""
                <smtpshield>
                  <perIp>
                    <maxMessagesPerHour mode="observe">200</maxMessagesPerHour>
                    <maxConcurrentConnections mode="enforce">10</maxConcurrentConnections>
                    <maxUnknownRecipients mode="observe">10</maxUnknownRecipients>
                  </perIp>
                  <session>
                    <maxFailedCommands mode="observe">10</maxFailedCommands>
                    <maxRecipientsPerMessage mode="observe">100</maxRecipientsPerMessage>
                    <maxMessageSize mode="observe">25M</maxMessageSize>
                  </session>
                  <dns>
                    <rejectUnknownSenderDomain mode="observe">true</rejectUnknownSenderDomain>
                    <rejectClientWithoutPtr mode="observe">true</rejectClientWithoutPtr>
                  </dns>
                </smtpshield>
                """);

        assertThat(List.of(
                        config.rule(MessageRateLimit.ELEMENT).mode(),
                        config.rule(ConnectionLimit.ELEMENT).mode(),
                        config.rule(UnknownRecipientLimit.ELEMENT).mode(),
                        config.rule(FailedCommandLimit.ELEMENT).mode(),
                        config.rule(RecipientLimit.ELEMENT).mode(),
                        config.rule(MessageSizeLimit.ELEMENT).mode(),
                        config.rule(UnknownSenderDomainCheck.ELEMENT).mode(),
                        config.rule(ClientWithoutPtrCheck.ELEMENT).mode()))
                .containsExactly(
                        Mode.OBSERVE,
                        Mode.ENFORCE,
                        Mode.OBSERVE,
                        Mode.OBSERVE,
                        Mode.OBSERVE,
                        Mode.OBSERVE,
                        Mode.OBSERVE,
                        Mode.OBSERVE);
    }

    @Test
    void readsEverySettingInAnyOrderWithWhitespaceAndComments() throws Exception {
        ShieldConfig config = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- the shield's policy -->
                <smtpshield>
                  <store type=" redis " uri=" rediss://cache.example:6380 " onFailure="closed"/>
                  <dns timeout="500ms">
                    <rejectClientWithoutPtr> false </rejectClientWithoutPtr>
                    <servers>
                      127.0.0.1:53, [::1]:5353
                      192.0.2.1 2001:db8::53
                    </servers>
                  </dns>
                  <perIp ipv6Prefix=" 48 " ipv4Prefix="24" maxTrackedClients="5000">
                    <maxUnknownRecipients blockFor="1d" window="30m"> 5 </maxUnknownRecipients>
                  </perIp>
                  <relay><allowOpenRelay>true</allowOpenRelay></relay>
                  <exempt><authenticatedUsers>false</authenticatedUsers></exempt>
                </smtpshield>
                """);

        assertThat(config.store())
                .isEqualTo(RedisStores.redis("rediss://cache.example:6380", StoreSettings.FailureMode.CLOSED));
        assertThat(config.dns().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.dns().servers())
                .containsExactly(
                        new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 53),
                        new InetSocketAddress(InetAddress.getByName("::1"), 5353),
                        new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 53),
                        new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 53));
        assertThat(config.rule(ClientWithoutPtrCheck.ELEMENT).enabled()).isFalse();
        assertThat(config.perIp()).isEqualTo(new PerIpSettings(24, 48, 5000));
        assertThat(config.rule(MessageRateLimit.ELEMENT)).isEqualTo(Limit.off());
        assertThat(config.rule(ConnectionLimit.ELEMENT)).isEqualTo(Limit.off());
        assertThat(config.rule(UnknownRecipientLimit.ELEMENT))
                .isEqualTo(new HarvestLimit(5, Duration.ofMinutes(30), Duration.ofDays(1), Mode.ENFORCE));
        assertThat(config.relay().allowOpenRelay()).isTrue();
        assertThat(config.exempt()).isEqualTo(new Exemptions(NetworkSet.empty(), false));
    }

    @Test
    void aRedisStoreFailsOpenByDefault() throws Exception {
        assertThat(parse("<smtpshield><store type='redis' uri='redis://127.0.0.1:6379'/></smtpshield>")
                        .store())
                .isEqualTo(RedisStores.redis("redis://127.0.0.1:6379", StoreSettings.FailureMode.OPEN))
                .returns(Duration.ofSeconds(1), StoreSettings::timeout)
                .returns(Duration.ofMinutes(2), StoreSettings::lease);
    }

    @Test
    void theSettingsNeverShowTheRedisPassword() {
        assertThat(RedisStores.redis("rediss://:s3cret@cache.example:6380/0", StoreSettings.FailureMode.OPEN)
                        .toString())
                .contains("rediss://***@cache.example:6380/0")
                .doesNotContain("s3cret");
    }

    @Test
    void aRedisStoreTakesATimeoutAndALease() throws Exception {
        assertThat(parse(
                                "<smtpshield><store type='redis' uri='redis://127.0.0.1:6379' timeout='250ms' lease='10s'/></smtpshield>")
                        .store())
                .isEqualTo(RedisStores.redis(
                        "redis://127.0.0.1:6379",
                        StoreSettings.FailureMode.OPEN,
                        Duration.ofMillis(250),
                        Duration.ofSeconds(10)));
    }

    @Test
    void aRedisClusterIsNamedByItsSeedsInOneUri() throws Exception {
        assertThat(parse(
                                "<smtpshield><store type='redis' cluster='true' uri='redis://10.0.0.1:7000,10.0.0.2:7000,redis-3:7000'/></smtpshield>")
                        .store())
                .isEqualTo(cluster("redis://10.0.0.1:7000,10.0.0.2:7000,redis-3:7000", StoreSettings.FailureMode.OPEN))
                .returns(true, StoreSettings::cluster);
        assertThat(parse(
                                "<smtpshield><store type='redis' cluster=' true ' uri='rediss://:s3cret@cache.example/0' onFailure='closed'/></smtpshield>")
                        .store())
                .as("one seed, TLS, a password, database 0")
                .isEqualTo(cluster("rediss://:s3cret@cache.example/0", StoreSettings.FailureMode.CLOSED))
                .hasToString(
                        "StoreSettings[type=REDIS, uri=rediss://***@cache.example/0, cluster=true, onFailure=CLOSED, timeout=PT1S, lease=PT2M]");
    }

    private static StoreSettings cluster(String uri, StoreSettings.FailureMode onFailure) {
        return new StoreSettings(
                StoreSettings.Type.REDIS,
                Optional.of(uri),
                onFailure,
                StoreSettings.DEFAULT_TIMEOUT,
                StoreSettings.DEFAULT_LEASE,
                true);
    }

    /** Every line about a URI that carries a password shows the URI without it, however the URI is broken. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                          | XML attributes of <store>                                                  | message after <smtpshield><store ...>:
            malformed percent escape        | type='redis' uri='redis://:S3cr3t%zz@host:6379'                            | <store uri>: not a URI (Malformed escape pair; a password with %, spaces or other characters outside a URI must be percent-encoded): 'redis://***@host:6379'
            space in the password           | type='redis' uri='redis://:S3 cr3t@host:6379'                              | <store uri>: not a URI (Illegal character in authority; a password with %, spaces or other characters outside a URI must be percent-encoded): 'redis://***@host:6379'
            slash in the password           | type='redis' uri='redis://:pa/S3cr3t@host:6379'                            | <store uri>: a password (or user) with / ? # or @ must be percent-encoded (%2F %3F %23 %40): 'redis://***@host:6379'
            at sign in the password         | type='redis' uri='rediss://user:S3@cr3t@host'                              | <store uri>: a password (or user) with / ? # or @ must be percent-encoded (%2F %3F %23 %40): 'rediss://***@host'
            hash in a cluster's password    | type='redis' cluster='true' uri='redis://:S3#cr3t@a:7000,b:7000'           | <store uri>: a password (or user) with / ? # or @ must be percent-encoded (%2F %3F %23 %40): 'redis://***@a:7000,b:7000'
            slash and a bad cluster seed    | type='redis' cluster='true' uri='redis://:pa/S3cr3t@a:7000,b:x'            | <store uri>: not a host[:port] seed of a Redis Cluster: 'b:x' in 'redis://***@a:7000,b:x'
            slash and a cluster database    | type='redis' cluster='true' uri='redis://:pa/S3cr3t@a:7000/3'              | <store uri>: a Redis Cluster has database 0 only, not 3: 'redis://***@a:7000/3'
            seeds without cluster           | type='redis' uri='redis://:pa/S3cr3t@a:7000,b:7001'                        | <store uri>: several hosts are the seeds of a Redis Cluster, which needs cluster="true": 'redis://***@a:7000,b:7001'
            no scheme                       | type='redis' uri=':S3cr3t@host:6379'                                       | <store uri>: must start with redis://, rediss://, redis-sentinel://, redis-socket://: '***@host:6379'
            a memory store's uri            | uri='redis://:S3cr3t@host:6379'                                            | <store uri>: only a redis store has this attribute: 'redis://***@host:6379'
            """)
    void aBrokenUriNeverShowsItsPassword(String name, String attributes, String message) {
        assertThatThrownBy(() -> parse("<smtpshield><store " + attributes + "/></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": <smtpshield>" + message)
                .message()
                .doesNotContain("S3")
                .doesNotContain("cr3t");
    }

    @Test
    void aRedisStoreIsNoClusterUnlessItSaysSo() throws Exception {
        assertThat(parse(
                                "<smtpshield><store type='redis' cluster='false' uri='redis-sentinel://s1:26379,s2:26379/0#mymaster'/></smtpshield>")
                        .store())
                .isEqualTo(RedisStores.redis(
                        "redis-sentinel://s1:26379,s2:26379/0#mymaster", StoreSettings.FailureMode.OPEN))
                .returns(false, StoreSettings::cluster);
        assertThat(parse("<smtpshield><store type='redis' uri='redis://:a,b@redis.example:6379'/></smtpshield>")
                        .store())
                .as("a comma in the password is no second host")
                .isEqualTo(RedisStores.redis("redis://:a,b@redis.example:6379", StoreSettings.FailureMode.OPEN));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                  | XML inside <smtpshield>                                                              | message
            negative number         | <perIp><maxMessagesPerHour>-5</maxMessagesPerHour></perIp>                           | <smtpshield><perIp><maxMessagesPerHour>: must not be negative: '-5'
            non-number              | <perIp><maxMessagesPerHour>abc</maxMessagesPerHour></perIp>                          | <smtpshield><perIp><maxMessagesPerHour>: not a whole number: 'abc'
            fraction                | <session><maxFailedCommands>2.5</maxFailedCommands></session>                        | <smtpshield><session><maxFailedCommands>: not a whole number: '2.5'
            empty number            | <session><maxRecipientsPerMessage/></session>                                        | <smtpshield><session><maxRecipientsPerMessage>: not a whole number: ''
            overflow                | <perIp><maxConcurrentConnections>9223372036854775808</maxConcurrentConnections></perIp> | <smtpshield><perIp><maxConcurrentConnections>: number too large: '9223372036854775808'
            size overflow           | <session><maxMessageSize>9999999999G</maxMessageSize></session>                      | <smtpshield><session><maxMessageSize>: size too large: '9999999999G'
            unknown size unit       | <session><maxMessageSize>25MB</maxMessageSize></session>                             | <smtpshield><session><maxMessageSize>: unknown size unit (K, M, G or none for bytes): '25MB'
            unknown duration unit   | <perIp><maxUnknownRecipients window='1w'>10</maxUnknownRecipients></perIp>           | <smtpshield><perIp><maxUnknownRecipients window>: unknown duration unit (ms, s, m, h or d): '1w'
            duration without unit   | <dns timeout='5'/>                                                                   | <smtpshield><dns timeout>: duration needs a unit (ms, s, m, h or d): '5'
            zero duration           | <perIp><maxUnknownRecipients blockFor='0s'>10</maxUnknownRecipients></perIp>         | <smtpshield><perIp><maxUnknownRecipients blockFor>: must be positive: '0s'
            unknown element         | <perIp><maxMessagesPerDay>5</maxMessagesPerDay></perIp>                              | <smtpshield><perIp>: unknown element (expected maxMessagesPerHour, maxConcurrentConnections or maxUnknownRecipients): 'maxMessagesPerDay'
            unknown section         | <limits/>                                                                            | <smtpshield>: unknown element (expected exempt, perIp, session, dns, relay, store, bans, screening or trustedProxies): 'limits'
            element inside a value  | <relay><allowOpenRelay><true/></allowOpenRelay></relay>                              | <smtpshield><relay><allowOpenRelay>: unexpected element inside a value: 'true'
            text in a section       | <session>10</session>                                                                | <smtpshield><session>: unexpected text: '10'
            unknown attribute       | <perIp ipv4prefix='24'/>                                                             | <smtpshield><perIp>: unknown attribute (expected ipv4Prefix, ipv6Prefix or maxTrackedClients): 'ipv4prefix'
            attribute on a setting  | <exempt><networks mode='observe'>10.0.0.0/8</networks></exempt>                      | <smtpshield><exempt><networks>: unknown attribute (none expected here): 'mode'
            attribute on a rule     | <session><maxFailedCommands window='1h'>3</maxFailedCommands></session>              | <smtpshield><session><maxFailedCommands>: unknown attribute (expected mode): 'window'
            malformed IPv4 CIDR     | <exempt><networks>127.0.0.0/8, 10.0.0.256/8</networks></exempt>                      | <smtpshield><exempt><networks>: not an IP address or CIDR range: '10.0.0.256/8'
            IPv4 CIDR prefix        | <exempt><networks>10.0.0.0/33</networks></exempt>                                    | <smtpshield><exempt><networks>: prefix length must be 0..32: '10.0.0.0/33'
            malformed IPv6 CIDR     | <exempt><networks>2001:db8::g/32</networks></exempt>                                 | <smtpshield><exempt><networks>: not an IP address or CIDR range: '2001:db8::g/32'
            IPv6 CIDR prefix        | <exempt><networks>2001:db8::/129</networks></exempt>                                 | <smtpshield><exempt><networks>: prefix length must be 0..128: '2001:db8::/129'
            bad IPv4 prefix length  | <perIp ipv4Prefix='33'/>                                                             | <smtpshield><perIp ipv4Prefix>: must be 1..32: '33'
            zero IPv4 prefix length | <perIp ipv4Prefix='0'/>                                                              | <smtpshield><perIp ipv4Prefix>: must be 1..32: '0'
            bad IPv6 prefix length  | <perIp ipv6Prefix='129'/>                                                            | <smtpshield><perIp ipv6Prefix>: must be 1..128: '129'
            no tracked clients      | <perIp maxTrackedClients='0'/>                                                       | <smtpshield><perIp maxTrackedClients>: must be at least 1: '0'
            bad boolean             | <exempt><authenticatedUsers>yes</authenticatedUsers></exempt>                        | <smtpshield><exempt><authenticatedUsers>: not a boolean (true or false): 'yes'
            boolean in capitals     | <dns><rejectClientWithoutPtr>TRUE</rejectClientWithoutPtr></dns>                     | <smtpshield><dns><rejectClientWithoutPtr>: not a boolean (true or false): 'TRUE'
            bad mode                | <dns><rejectUnknownSenderDomain mode='watch'>true</rejectUnknownSenderDomain></dns>  | <smtpshield><dns><rejectUnknownSenderDomain mode>: not a mode (enforce or observe): 'watch'
            duplicated element      | <perIp><maxMessagesPerHour>1</maxMessagesPerHour><maxMessagesPerHour>2</maxMessagesPerHour></perIp> | <smtpshield><perIp><maxMessagesPerHour>: duplicated element
            duplicated section      | <relay/><dns/><relay/>                                                               | <smtpshield><relay>: duplicated element
            redis without uri       | <store type='redis'/>                                                                | <smtpshield><store>: a redis store needs a uri attribute
            redis uri scheme        | <store type='redis' uri='http://127.0.0.1:6379'/>                                    | <smtpshield><store uri>: must start with redis://, rediss://, redis-sentinel://, redis-socket://: 'http://127.0.0.1:6379'
            memory store with uri   | <store uri='redis://127.0.0.1:6379'/>                                                | <smtpshield><store uri>: only a redis store has this attribute: 'redis://127.0.0.1:6379'
            bad store type          | <store type='mongo'/>                                                                | <smtpshield><store type>: not a store type (memory or redis): 'mongo'
            bad failure mode        | <store type='redis' uri='redis://r' onFailure='retry'/>                              | <smtpshield><store onFailure>: not a failure mode (open or closed): 'retry'
            zero lease              | <store type='redis' uri='redis://r' lease='0s'/>                                     | <smtpshield><store lease>: must be positive: '0s'
            bad timeout             | <store type='redis' uri='redis://r' timeout='soon'/>                                 | <smtpshield><store timeout>: not a duration (such as 90s, 30m, 1h, 1d): 'soon'
            memory store with lease | <store lease='1m'/>                                                                  | <smtpshield><store lease>: only a redis store has this attribute: '1m'
            memory store cluster    | <store cluster='true'/>                                                              | <smtpshield><store cluster>: only a redis store has this attribute: 'true'
            bad cluster             | <store type='redis' uri='redis://r' cluster='yes'/>                                  | <smtpshield><store cluster>: not a boolean (true or false): 'yes'
            seeds without cluster   | <store type='redis' uri='redis://a:7000,b:7001'/>                                    | <smtpshield><store uri>: several hosts are the seeds of a Redis Cluster, which needs cluster="true": 'redis://a:7000,b:7001'
            cluster of sentinels    | <store type='redis' cluster='true' uri='redis-sentinel://s:26379#mymaster'/>         | <smtpshield><store uri>: a Redis Cluster is reached through redis:// or rediss:// seeds (redis://host1:port1,host2:port2): 'redis-sentinel://s:26379#mymaster'
            cluster of several URIs | <store type='redis' cluster='true' uri='redis://a:7000,redis://b:7001'/>             | <smtpshield><store uri>: the seeds of a Redis Cluster are one URI with several hosts (redis://host1:port1,host2:port2), not several URIs: 'redis://a:7000,redis://b:7001'
            cluster seed port       | <store type='redis' cluster='true' uri='redis://a:7000,b:70001'/>                    | <smtpshield><store uri>: port must be 1..65535: 'b:70001' in 'redis://a:7000,b:70001'
            cluster empty seed      | <store type='redis' cluster='true' uri='redis://:pw@a:7000,'/>                       | <smtpshield><store uri>: not a host[:port] seed of a Redis Cluster: '' in 'redis://***@a:7000,'
            cluster seed with space | <store type='redis' cluster='true' uri='redis://a:7000, b:7001'/>                    | <smtpshield><store uri>: not a host[:port] seed of a Redis Cluster: ' b:7001' in 'redis://a:7000, b:7001'
            cluster database        | <store type='redis' cluster='true' uri='redis://a:7000,b:7001/2'/>                   | <smtpshield><store uri>: a Redis Cluster has database 0 only, not 2: 'redis://a:7000,b:7001/2'
            DNS server host name    | <dns><servers>127.0.0.1, dns.example.com</servers></dns>                             | <smtpshield><dns><servers>: not an IP address with an optional port: 'dns.example.com'
            DNS server port         | <dns><servers>127.0.0.1:65536</servers></dns>                                        | <smtpshield><dns><servers>: port must be 1..65535: '127.0.0.1:65536'
            DNS server IPv6 port    | <dns><servers>::1:5353x</servers></dns>                                              | <smtpshield><dns><servers>: not an IP address with an optional port: '::1:5353x'
            trusted proxy           | <trustedProxies>10.0.0.300</trustedProxies>                                          | <smtpshield><trustedProxies>: not an IP address or CIDR range: '10.0.0.300'
            duration without unit   | <session><maxDuration>600</maxDuration></session>                                    | <smtpshield><session><maxDuration>: duration needs a unit (ms, s, m, h or d): '600'
            network wider than /16  | <bans><networks ipv4Prefix='8'>4</networks></bans>                                   | <smtpshield><bans><networks ipv4Prefix>: a network block is never wider than /16: '8'
            network wider than /32  | <bans><networks ipv6Prefix='24'>4</networks></bans>                                  | <smtpshield><bans><networks ipv6Prefix>: a network block is never wider than /32: '24'
            escalation factor       | <bans><escalation factor='0.5'/></bans>                                              | <smtpshield><bans><escalation factor>: not a factor of at least 1 (2, 1.5): '0.5'
            escalation with text    | <bans><escalation>2</escalation></bans>                                              | <smtpshield><bans><escalation>: takes attributes only, no text: '2'
            lock attribute          | <bans><accountAuthFailures blockFor='1h'>5</accountAuthFailures></bans>              | <smtpshield><bans><accountAuthFailures>: unknown attribute (expected mode, window or lockFor): 'blockFor'
            """)
    void refusesBadInputWithOneLineNamingFileElementAndValue(String name, String xml, String message) {
        assertThatThrownBy(() -> parse("<smtpshield>" + xml + "</smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": " + message);
    }

    @Test
    void readsTheBans() throws Exception {
        ShieldConfig config = parse("""
                <smtpshield><bans>
                  <authFailures window="1h" blockFor="1h">10</authFailures>
                  <accountAuthFailures window="1h" lockFor="15m" mode="observe">20</accountAuthFailures>
                  <repeatedRefusals window="10m" blockFor="1h">30</repeatedRefusals>
                  <escalation factor="1.5" max="30d" memory="7d"/>
                  <networks ipv4Prefix="16" ipv6Prefix="48" blockFor="2h">4</networks>
                </bans></smtpshield>""");

        assertThat(config.rule(io.github.smtpshield.policy.rules.AuthFailureLimit.ELEMENT))
                .isEqualTo(new HarvestLimit(10, Duration.ofHours(1), Duration.ofHours(1), Mode.ENFORCE));
        assertThat(config.rule(io.github.smtpshield.policy.rules.AccountAuthFailureLimit.ELEMENT))
                .isEqualTo(new AccountLockLimit(20, Duration.ofHours(1), Duration.ofMinutes(15), Mode.OBSERVE));
        assertThat(config.rule(io.github.smtpshield.policy.rules.RepeatedRefusalLimit.ELEMENT))
                .isEqualTo(new HarvestLimit(30, Duration.ofMinutes(10), Duration.ofHours(1), Mode.ENFORCE));
        assertThat(config.rule(io.github.smtpshield.policy.rules.BanEscalation.ELEMENT))
                .isEqualTo(new EscalationSettings(true, 1.5, Duration.ofDays(30), Duration.ofDays(7), Mode.ENFORCE));
        assertThat(config.rule(io.github.smtpshield.policy.rules.NetworkBlockLimit.ELEMENT))
                .isEqualTo(new NetworkBlockSettings(4, 16, 48, Duration.ofHours(2), Mode.ENFORCE));
    }

    @Test
    void everyBanIsOffWhenAbsent() throws Exception {
        ShieldConfig config = parse("<smtpshield><bans/></smtpshield>");

        assertThat(io.github.smtpshield.policy.rules.Rules.types().stream()
                        .filter(type -> type.element().section().equals("bans"))
                        .map(type -> config.rule(type.element()).enabled()))
                .hasSize(5)
                .containsOnly(false);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("conf/smtpshield.xml");

        assertThatThrownBy(() -> ShieldConfigParser.parse(missing))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(missing + ": cannot read file: no such file");
    }

    @Test
    void aDirectoryIsNotReadable() {
        assertThatThrownBy(() -> ShieldConfigParser.parse(dir))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(dir + ": cannot read file: Is a directory");
    }

    @Test
    void malformedXmlIsReportedWithItsLine() {
        assertThatThrownBy(() -> parse("<smtpshield>\n  <perIp>\n</smtpshield>\n"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": line 3: malformed XML: "
                        + "The element type \"perIp\" must be terminated by the matching end-tag \"</perIp>\".");
    }

    @Test
    void anEmptyFileIsMalformed() {
        assertThatThrownBy(() -> parse(""))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": line 1: malformed XML: Premature end of file.");
    }

    @Test
    void theRootMustBeSmtpshield() {
        assertThatThrownBy(() -> parse("<smtpserver><perIp/></smtpserver>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": root element must be <smtpshield>: 'smtpserver'");
    }

    @Test
    void externalEntitiesAreNeverRead() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "10.0.0.0/8");
        String xml = "<!DOCTYPE smtpshield [<!ENTITY net SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<smtpshield><exempt><networks>&net;</networks></exempt></smtpshield>";

        assertThatThrownBy(() -> parse(xml))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessageStartingWith(SOURCE + ": line 1: malformed XML: DOCTYPE is disallowed");
    }

    @Test
    void aValueSpanningLinesStaysOnOneLine() {
        assertThatThrownBy(() -> parse(
                        "<smtpshield><session><maxFailedCommands>1\n2</maxFailedCommands></session></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": <smtpshield><session><maxFailedCommands>: not a whole number: '1\\n2'");
    }

    @Test
    void readsTheDnsblScreeningWithItsZonesCodesAndPassCache() throws Exception {
        ShieldConfig config = parse("""
                <smtpshield>
                  <screening>
                    <dnsbl threshold="3" mode="observe">
                      <zone weight="3">zen.example</zone>
                      <zone weight="1" codes="127.0.0.2,127.0.0.4-127.0.0.7">bl.example.</zone>
                      <zone weight="-5">List.DNSWL.example</zone>
                    </dnsbl>
                    <passCache ttl="24h"/>
                  </screening>
                </smtpshield>
                """);

        DnsblSettings dnsbl = config.rule(DnsblScreening.ELEMENT);
        assertThat(dnsbl.enabled()).isTrue();
        assertThat(dnsbl.threshold()).isEqualTo(3);
        assertThat(dnsbl.mode()).isEqualTo(Mode.OBSERVE);
        assertThat(dnsbl.passCacheTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(dnsbl.zones())
                .extracting(DnsblZone::name, DnsblZone::weight)
                .containsExactly(tuple("zen.example", 3), tuple("bl.example", 1), tuple("list.dnswl.example", -5));
        DnsblZone bl = dnsbl.zones().get(1);
        assertThat(bl.counts(new byte[] {127, 0, 0, 2})).isTrue();
        assertThat(bl.counts(new byte[] {127, 0, 0, 3})).isFalse();
        assertThat(bl.counts(new byte[] {127, 0, 0, 7})).isTrue();
        assertThat(dnsbl.zones().get(0).counts(new byte[] {127, 1, 2, 3})).isTrue();
        assertThat(dnsbl.zones().get(0).counts(new byte[] {(byte) 192, 0, 2, 1}))
                .as("outside 127/8")
                .isFalse();
    }

    @Test
    void noDnsblElementOrNoZoneIsOff() throws Exception {
        assertThat(parse("<smtpshield/>").rule(DnsblScreening.ELEMENT).enabled())
                .isFalse();
        assertThat(parse("<smtpshield><screening><dnsbl/></screening></smtpshield>")
                        .rule(DnsblScreening.ELEMENT)
                        .enabled())
                .isFalse();
    }

    @Test
    void aBadDnsblValueStopsStartUpNamingIt() {
        assertThatThrownBy(
                        () -> parse(
                                "<smtpshield><screening><dnsbl><zone weight=\"0\">zen.example</zone></dnsbl></screening></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(
                        SOURCE + ": <smtpshield><screening><dnsbl><zone weight>: a zone's weight must not be 0: '0'");
        assertThatThrownBy(() -> parse("<smtpshield><screening><dnsbl><zone codes=\"10.0.0.1\">zen.example</zone>"
                        + "</dnsbl></screening></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": <smtpshield><screening><dnsbl><zone codes>: not a range of answers in"
                        + " 127.0.0.0/8: 10.0.0.1-10.0.0.1");
        assertThatThrownBy(() ->
                        parse("<smtpshield><screening><dnsbl><zone>not a zone</zone></dnsbl></screening></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": <smtpshield><screening><dnsbl><zone>: not a DNS zone: 'not a zone'");
        assertThatThrownBy(() -> parse("<smtpshield><screening><dnsbl><list>x</list></dnsbl></screening></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": <smtpshield><screening><dnsbl>: unknown element (expected zone): 'list'");
        assertThatThrownBy(() -> parse("<smtpshield><screening><dnsbl><zone>zen.example</zone></dnsbl>"
                        + "<passCache ttl=\"0s\"/></screening></smtpshield>"))
                .isInstanceOf(ShieldConfigException.class)
                .hasMessage(SOURCE + ": <smtpshield><screening><passCache ttl>: must be positive: '0s'");
    }

    private static ShieldConfig parse(String xml) throws ShieldConfigException {
        return ShieldConfigParser.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), SOURCE);
    }
}
