package io.github.smtpshield.policy.config;

import io.github.smtpshield.policy.net.NetworkSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads {@code conf/smtpshield.xml} strictly: an unknown or duplicated element, an unknown
 * attribute or a value that does not read as what it should stops start-up with one line naming
 * the file, the element and the value (format in {@link ShieldConfigException}). A typo must not
 * silently turn a protection off. Elements may come in any order; comments are allowed; values are
 * trimmed; DTDs and external entities are refused.
 */
public final class ShieldConfigParser {

    private static final String ROOT = "smtpshield";
    private static final String MODE = "mode";

    /** The JDK's default handler prints to stderr before throwing; the exception alone is enough. */
    private static final ErrorHandler FAIL_ON_ERROR = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // Warnings do not make the file unusable.
        }

        @Override
        public void error(SAXParseException exception) throws SAXParseException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXParseException {
            throw exception;
        }
    };

    private ShieldConfigParser() {}

    /** Reads the file; a file that is missing or unreadable is an error naming it. */
    public static ShieldConfig parse(Path file) throws ShieldConfigException {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, source);
        } catch (NoSuchFileException missing) {
            throw new ShieldConfigException(source + ": cannot read file: no such file", missing);
        } catch (AccessDeniedException denied) {
            throw new ShieldConfigException(source + ": cannot read file: permission denied", denied);
        } catch (IOException unreadable) {
            throw new ShieldConfigException(source + ": cannot read file: " + unreadable.getMessage(), unreadable);
        }
    }

    /** Reads the stream; {@code sourceName} is what error messages call it. */
    public static ShieldConfig parse(InputStream in, String sourceName) throws ShieldConfigException {
        Element rootElement = read(in, sourceName);
        if (!rootElement.getTagName().equals(ROOT)) {
            throw new ShieldConfigException(
                    sourceName + ": root element must be <" + ROOT + ">: '" + rootElement.getTagName() + "'");
        }
        ConfigElement root = ConfigElement.root(sourceName, rootElement);
        root.allowAttributes();
        Map<String, ConfigElement> sections = root.children("exempt", "perIp", "session", "dns", "relay", "store");
        ShieldConfig defaults = ShieldConfig.defaults();
        return new ShieldConfig(
                sections.containsKey("exempt") ? exemptions(sections.get("exempt")) : defaults.exempt(),
                sections.containsKey("perIp") ? perIp(sections.get("perIp")) : defaults.perIp(),
                sections.containsKey("session") ? session(sections.get("session")) : defaults.session(),
                sections.containsKey("dns") ? dns(sections.get("dns")) : defaults.dns(),
                sections.containsKey("relay") ? relay(sections.get("relay")) : defaults.relay(),
                sections.containsKey("store") ? store(sections.get("store")) : defaults.store());
    }

    private static Exemptions exemptions(ConfigElement exempt) throws ShieldConfigException {
        exempt.allowAttributes();
        Map<String, ConfigElement> settings = exempt.children("networks", "authenticatedUsers");
        Exemptions defaults = Exemptions.defaults();
        return new Exemptions(
                setting(settings.get("networks"), NetworkSet::parse, defaults.networks()),
                setting(settings.get("authenticatedUsers"), ShieldConfigParser::bool, defaults.authenticatedUsers()));
    }

    private static PerIpLimits perIp(ConfigElement perIp) throws ShieldConfigException {
        perIp.allowAttributes("ipv4Prefix", "ipv6Prefix", "maxTrackedClients");
        Map<String, ConfigElement> rules =
                perIp.children("maxMessagesPerHour", "maxConcurrentConnections", "maxUnknownRecipients");
        return new PerIpLimits(
                perIp.attribute("ipv4Prefix", text -> prefixLength(text, 32)).orElse(PerIpLimits.DEFAULT_IPV4_PREFIX),
                perIp.attribute("ipv6Prefix", text -> prefixLength(text, 128)).orElse(PerIpLimits.DEFAULT_IPV6_PREFIX),
                perIp.attribute("maxTrackedClients", ShieldConfigParser::atLeastOne)
                        .orElse(PerIpLimits.DEFAULT_MAX_TRACKED_CLIENTS),
                limit(rules.get("maxMessagesPerHour"), WholeNumber::parse),
                limit(rules.get("maxConcurrentConnections"), WholeNumber::parse),
                harvestLimit(rules.get("maxUnknownRecipients")));
    }

    private static SessionLimits session(ConfigElement session) throws ShieldConfigException {
        session.allowAttributes();
        Map<String, ConfigElement> rules =
                session.children("maxFailedCommands", "maxRecipientsPerMessage", "maxMessageSize");
        return new SessionLimits(
                limit(rules.get("maxFailedCommands"), WholeNumber::parse),
                limit(rules.get("maxRecipientsPerMessage"), WholeNumber::parse),
                limit(rules.get("maxMessageSize"), DataSizes::parse));
    }

    private static DnsSettings dns(ConfigElement dns) throws ShieldConfigException {
        dns.allowAttributes("timeout");
        Map<String, ConfigElement> settings =
                dns.children("servers", "rejectUnknownSenderDomain", "rejectClientWithoutPtr");
        return new DnsSettings(
                dns.attribute("timeout", ShieldConfigParser::positiveDuration).orElse(DnsSettings.DEFAULT_TIMEOUT),
                setting(
                        settings.get("servers"),
                        DnsServers::parse,
                        DnsSettings.defaults().servers()),
                check(settings.get("rejectUnknownSenderDomain")),
                check(settings.get("rejectClientWithoutPtr")));
    }

    private static RelaySettings relay(ConfigElement relay) throws ShieldConfigException {
        relay.allowAttributes();
        Map<String, ConfigElement> settings = relay.children("allowOpenRelay");
        return new RelaySettings(setting(
                settings.get("allowOpenRelay"),
                ShieldConfigParser::bool,
                RelaySettings.defaults().allowOpenRelay()));
    }

    private static StoreSettings store(ConfigElement store) throws ShieldConfigException {
        store.allowAttributes("type", "uri", "cluster", "onFailure", "timeout", "lease");
        store.children();
        StoreSettings.Type type =
                store.attribute("type", ShieldConfigParser::storeType).orElse(StoreSettings.Type.MEMORY);
        if (type == StoreSettings.Type.MEMORY) {
            for (String redisOnly : new String[] {"uri", "cluster", "onFailure", "timeout", "lease"}) {
                Optional<String> value = store.attribute(redisOnly, Function.identity());
                if (value.isPresent()) {
                    String shown =
                            redisOnly.equals("uri") ? RedisUri.of(value.get()).redacted() : value.get();
                    throw store.attributeError(redisOnly, "only a redis store has this attribute: '" + shown + "'");
                }
            }
            return StoreSettings.memory();
        }
        boolean cluster = store.attribute("cluster", ShieldConfigParser::bool).orElse(false);
        Optional<String> uri = store.attribute("uri", text -> StoreSettings.checkUri(text, cluster));
        if (uri.isEmpty()) {
            throw store.error("a redis store needs a uri attribute");
        }
        return new StoreSettings(
                StoreSettings.Type.REDIS,
                uri,
                store.attribute("onFailure", ShieldConfigParser::failureMode).orElse(StoreSettings.FailureMode.OPEN),
                store.attribute("timeout", ShieldConfigParser::positiveDuration).orElse(StoreSettings.DEFAULT_TIMEOUT),
                store.attribute("lease", ShieldConfigParser::positiveDuration).orElse(StoreSettings.DEFAULT_LEASE),
                cluster);
    }

    /** A rule that is absent is off. */
    private static Limit limit(ConfigElement rule, Function<String, Long> reader) throws ShieldConfigException {
        if (rule == null) {
            return Limit.off();
        }
        rule.allowAttributes(MODE);
        return new Limit(rule.value(reader), mode(rule));
    }

    private static HarvestLimit harvestLimit(ConfigElement rule) throws ShieldConfigException {
        if (rule == null) {
            return HarvestLimit.off();
        }
        rule.allowAttributes(MODE, "window", "blockFor");
        return new HarvestLimit(
                rule.value(WholeNumber::parse),
                rule.attribute("window", ShieldConfigParser::positiveDuration).orElse(HarvestLimit.DEFAULT_WINDOW),
                rule.attribute("blockFor", ShieldConfigParser::positiveDuration).orElse(HarvestLimit.DEFAULT_BLOCK_FOR),
                mode(rule));
    }

    private static Check check(ConfigElement rule) throws ShieldConfigException {
        if (rule == null) {
            return Check.off();
        }
        rule.allowAttributes(MODE);
        return new Check(rule.value(ShieldConfigParser::bool), mode(rule));
    }

    private static <T> T setting(ConfigElement element, Function<String, T> reader, T absent)
            throws ShieldConfigException {
        if (element == null) {
            return absent;
        }
        element.allowAttributes();
        return element.value(reader);
    }

    private static Mode mode(ConfigElement rule) throws ShieldConfigException {
        return rule.attribute(MODE, text -> switch (text) {
                    case "enforce" -> Mode.ENFORCE;
                    case "observe" -> Mode.OBSERVE;
                    default -> throw new IllegalArgumentException("not a mode (enforce or observe): '" + text + "'");
                })
                .orElse(Mode.ENFORCE);
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean (true or false): '" + text + "'");
        };
    }

    private static int prefixLength(String text, int addressBits) {
        long prefix = WholeNumber.parse(text);
        if (prefix < 1 || prefix > addressBits) {
            throw new IllegalArgumentException("must be 1.." + addressBits + ": '" + text + "'");
        }
        return (int) prefix;
    }

    private static long atLeastOne(String text) {
        long value = WholeNumber.parse(text);
        if (value < 1) {
            throw new IllegalArgumentException("must be at least 1: '" + text + "'");
        }
        return value;
    }

    private static Duration positiveDuration(String text) {
        Duration duration = Durations.parse(text);
        if (duration.isZero()) {
            throw new IllegalArgumentException("must be positive: '" + text + "'");
        }
        return duration;
    }

    private static StoreSettings.Type storeType(String text) {
        return switch (text) {
            case "memory" -> StoreSettings.Type.MEMORY;
            case "redis" -> StoreSettings.Type.REDIS;
            default -> throw new IllegalArgumentException("not a store type (memory or redis): '" + text + "'");
        };
    }

    private static StoreSettings.FailureMode failureMode(String text) {
        return switch (text) {
            case "open" -> StoreSettings.FailureMode.OPEN;
            case "closed" -> StoreSettings.FailureMode.CLOSED;
            default -> throw new IllegalArgumentException("not a failure mode (open or closed): '" + text + "'");
        };
    }

    private static Element read(InputStream in, String source) throws ShieldConfigException {
        try {
            DocumentBuilder builder = xxeSafeFactory().newDocumentBuilder();
            builder.setErrorHandler(FAIL_ON_ERROR);
            return builder.parse(in).getDocumentElement();
        } catch (SAXParseException malformed) {
            throw new ShieldConfigException(
                    source + ": line " + malformed.getLineNumber() + ": malformed XML: " + malformed.getMessage(),
                    malformed);
        } catch (SAXException malformed) {
            throw new ShieldConfigException(source + ": malformed XML: " + malformed.getMessage(), malformed);
        } catch (IOException unreadable) {
            throw new ShieldConfigException(source + ": cannot read file: " + unreadable.getMessage(), unreadable);
        } catch (ParserConfigurationException impossible) {
            throw new IllegalStateException("the JDK XML parser cannot be made XXE-safe", impossible);
        }
    }

    private static DocumentBuilderFactory xxeSafeFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }
}
