package io.github.smtpshield.policy.config;

import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.rules.Rules;
import io.github.smtpshield.policy.xml.SafeXml;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.w3c.dom.Element;

/**
 * Reads {@code conf/smtpshield.xml} strictly: an unknown or duplicated element, an unknown
 * attribute or a value that does not read as what it should stops start-up with one line naming
 * the file, the element and the value (format in {@link ShieldConfigException}). A typo must not
 * silently turn a protection off. Elements may come in any order; comments are allowed; values are
 * trimmed; DTDs and external entities are refused.
 */
public final class ShieldConfigParser {

    private static final String ROOT = "smtpshield";

    /** The children of {@code <smtpshield>} that hold other elements, in the order errors list them. */
    private static final List<String> SECTIONS = List.of("exempt", "perIp", "session", "dns", "relay", "store");

    /** The children of {@code <smtpshield>} that hold a value, listed after the sections in errors. */
    private static final String TRUSTED_PROXIES = "trustedProxies";

    /** What each section holds besides rule elements, listed before them in errors; the store holds nothing. */
    private static final Map<String, List<String>> SECTION_SETTINGS = Map.of(
            "exempt", List.of("networks", "authenticatedUsers"),
            "dns", List.of("servers"),
            "relay", List.of("allowOpenRelay"),
            // Read by the DNSBL rule with its <dnsbl>: how long a client that passed is not screened again
            "screening", List.of("passCache"));

    private ShieldConfigParser() {}

    /** Reads the file; a file that is missing or unreadable is an error naming it. */
    public static ShieldConfig parse(Path file) throws ShieldConfigException {
        try {
            return parse(SafeXml.read(file), file.toString());
        } catch (SafeXml.UnreadableXmlException e) {
            throw new ShieldConfigException(e.getMessage(), e);
        }
    }

    /** Reads the stream; {@code sourceName} is what error messages call it. */
    public static ShieldConfig parse(InputStream in, String sourceName) throws ShieldConfigException {
        try {
            return parse(SafeXml.read(in, sourceName), sourceName);
        } catch (SafeXml.UnreadableXmlException e) {
            throw new ShieldConfigException(e.getMessage(), e);
        }
    }

    private static ShieldConfig parse(Element rootElement, String sourceName) throws ShieldConfigException {
        if (!rootElement.getTagName().equals(ROOT)) {
            throw new ShieldConfigException(
                    sourceName + ": root element must be <" + ROOT + ">: '" + rootElement.getTagName() + "'");
        }
        ConfigElement root = ConfigElement.root(sourceName, rootElement);
        root.allowAttributes();
        List<String> allowed = new ArrayList<>(sections());
        allowed.add(TRUSTED_PROXIES);
        Map<String, ConfigElement> sections = root.children(allowed.toArray(String[]::new));
        ConfigElement trustedProxies = sections.remove(TRUSTED_PROXIES);
        Map<String, Map<String, ConfigElement>> children = new LinkedHashMap<>();
        Map<String, RuleSettings> rules = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigElement> section : sections.entrySet()) {
            children.put(section.getKey(), sectionChildren(section.getKey(), section.getValue(), rules));
        }
        ShieldConfig defaults = ShieldConfig.defaults();
        return new ShieldConfig(
                sections.containsKey("exempt")
                        ? exemptions(sections.get("exempt"), children.get("exempt"))
                        : defaults.exempt(),
                setting(trustedProxies, NetworkSet::parse, defaults.trustedProxies()),
                sections.containsKey("perIp") ? perIp(sections.get("perIp")) : defaults.perIp(),
                sections.containsKey("dns") ? dns(sections.get("dns"), children.get("dns")) : defaults.dns(),
                sections.containsKey("relay") ? relay(sections.get("relay"), children.get("relay")) : defaults.relay(),
                sections.containsKey("store") ? store(sections.get("store")) : defaults.store(),
                rules);
    }

    /** The fixed sections, then those only rules of the registry have, in the order errors list them. */
    private static List<String> sections() {
        Set<String> sections = new LinkedHashSet<>(SECTIONS);
        Rules.elements().forEach(element -> sections.add(element.section()));
        return List.copyOf(sections);
    }

    /**
     * The section's children: its own settings (listed first in errors), then the elements of the rules that live in
     * it, each read by its rule's reader into {@code rules}.
     */
    private static Map<String, ConfigElement> sectionChildren(
            String name, ConfigElement section, Map<String, RuleSettings> rules) throws ShieldConfigException {
        List<RuleElement<?>> elements = Rules.elements().stream()
                .filter(element -> element.section().equals(name))
                .toList();
        List<String> allowed = new ArrayList<>(SECTION_SETTINGS.getOrDefault(name, List.of()));
        elements.forEach(element -> allowed.add(element.name()));
        Map<String, ConfigElement> children = section.children(allowed.toArray(String[]::new));
        for (RuleElement<?> element : elements) {
            ConfigElement child = children.get(element.name());
            if (child != null) {
                rules.put(element.name(), element.reader().read(child));
            }
        }
        return children;
    }

    private static Exemptions exemptions(ConfigElement exempt, Map<String, ConfigElement> settings)
            throws ShieldConfigException {
        exempt.allowAttributes();
        Exemptions defaults = Exemptions.defaults();
        return new Exemptions(
                setting(settings.get("networks"), NetworkSet::parse, defaults.networks()),
                setting(settings.get("authenticatedUsers"), ConfigValues::bool, defaults.authenticatedUsers()));
    }

    private static PerIpSettings perIp(ConfigElement perIp) throws ShieldConfigException {
        perIp.allowAttributes("ipv4Prefix", "ipv6Prefix", "maxTrackedClients");
        PerIpSettings defaults = PerIpSettings.defaults();
        return new PerIpSettings(
                perIp.attribute("ipv4Prefix", text -> ConfigValues.prefixLength(text, 32))
                        .orElse(defaults.ipv4Prefix()),
                perIp.attribute("ipv6Prefix", text -> ConfigValues.prefixLength(text, 128))
                        .orElse(defaults.ipv6Prefix()),
                perIp.attribute("maxTrackedClients", ConfigValues::atLeastOne).orElse(defaults.maxTrackedClients()));
    }

    private static DnsSettings dns(ConfigElement dns, Map<String, ConfigElement> settings)
            throws ShieldConfigException {
        dns.allowAttributes("timeout");
        return new DnsSettings(
                dns.attribute("timeout", ConfigValues::positiveDuration).orElse(DnsSettings.DEFAULT_TIMEOUT),
                setting(
                        settings.get("servers"),
                        DnsServers::parse,
                        DnsSettings.defaults().servers()));
    }

    private static RelaySettings relay(ConfigElement relay, Map<String, ConfigElement> settings)
            throws ShieldConfigException {
        relay.allowAttributes();
        return new RelaySettings(setting(
                settings.get("allowOpenRelay"),
                ConfigValues::bool,
                RelaySettings.defaults().allowOpenRelay()));
    }

    private static StoreSettings store(ConfigElement store) throws ShieldConfigException {
        store.allowAttributes("type", "uri", "cluster", "onFailure", "timeout", "lease");
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
        boolean cluster = store.attribute("cluster", ConfigValues::bool).orElse(false);
        Optional<String> uri = store.attribute("uri", text -> StoreSettings.checkUri(text, cluster));
        if (uri.isEmpty()) {
            throw store.error("a redis store needs a uri attribute");
        }
        return new StoreSettings(
                StoreSettings.Type.REDIS,
                uri,
                store.attribute("onFailure", ShieldConfigParser::failureMode).orElse(StoreSettings.FailureMode.OPEN),
                store.attribute("timeout", ConfigValues::positiveDuration).orElse(StoreSettings.DEFAULT_TIMEOUT),
                store.attribute("lease", ConfigValues::positiveDuration).orElse(StoreSettings.DEFAULT_LEASE),
                cluster);
    }

    private static <T> T setting(ConfigElement element, Function<String, T> reader, T absent)
            throws ShieldConfigException {
        if (element == null) {
            return absent;
        }
        element.allowAttributes();
        return element.value(reader);
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
}
