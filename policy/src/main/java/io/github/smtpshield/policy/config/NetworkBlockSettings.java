package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code <networks ipv4Prefix="24" ipv6Prefix="48" blockFor="1h">4</networks>}: when at least {@code value} distinct
 * client keys of one IPv4 /{@code ipv4Prefix} or IPv6 /{@code ipv6Prefix} are blocked at once, the network is
 * blocked for {@code blockFor}. Never wider than {@link #WIDEST_IPV4} or {@link #WIDEST_IPV6}: the parser refuses a
 * wider prefix. Absent or {@code 0} means off.
 */
public record NetworkBlockSettings(long value, int ipv4Prefix, int ipv6Prefix, Duration blockFor, Mode mode)
        implements RuleSettings {

    /** The widest IPv4 network a block may cover: /16. */
    public static final int WIDEST_IPV4 = 16;
    /** The widest IPv6 network a block may cover: /32. */
    public static final int WIDEST_IPV6 = 32;

    public static final int DEFAULT_IPV4_PREFIX = 24;
    public static final int DEFAULT_IPV6_PREFIX = 48;
    public static final Duration DEFAULT_BLOCK_FOR = Duration.ofHours(1);

    private static final NetworkBlockSettings OFF =
            new NetworkBlockSettings(0, DEFAULT_IPV4_PREFIX, DEFAULT_IPV6_PREFIX, DEFAULT_BLOCK_FOR, Mode.ENFORCE);

    public static final RuleElement.Reader<NetworkBlockSettings> READER = element -> {
        element.allowAttributes(ConfigValues.MODE, "ipv4Prefix", "ipv6Prefix", "blockFor");
        return new NetworkBlockSettings(
                element.value(WholeNumber::parse),
                element.attribute("ipv4Prefix", text -> prefix(text, WIDEST_IPV4, 32))
                        .orElse(DEFAULT_IPV4_PREFIX),
                element.attribute("ipv6Prefix", text -> prefix(text, WIDEST_IPV6, 128))
                        .orElse(DEFAULT_IPV6_PREFIX),
                element.attribute("blockFor", ConfigValues::positiveDuration).orElse(DEFAULT_BLOCK_FOR),
                ConfigValues.mode(element));
    };

    public NetworkBlockSettings {
        if (value < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + value);
        }
        if (ipv4Prefix < WIDEST_IPV4 || ipv4Prefix > 32 || ipv6Prefix < WIDEST_IPV6 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("network prefixes out of bounds: /" + ipv4Prefix + ", /" + ipv6Prefix);
        }
        Durations.requirePositive(blockFor, "blockFor");
        Objects.requireNonNull(mode, "mode");
    }

    public static NetworkBlockSettings off() {
        return OFF;
    }

    /** A prefix length no wider than {@code widest}: a block of a whole provider's range is never what is meant. */
    private static int prefix(String text, int widest, int addressBits) {
        int prefix = ConfigValues.prefixLength(text, addressBits);
        if (prefix < widest) {
            throw new IllegalArgumentException("a network block is never wider than /" + widest + ": '" + text + "'");
        }
        return prefix;
    }

    @Override
    public boolean enabled() {
        return value > 0;
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        view.put("limit", value);
        view.put("ipv4Prefix", ipv4Prefix);
        view.put("ipv6Prefix", ipv6Prefix);
        view.put("blockFor", Durations.format(blockFor));
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
