package io.github.smtpshield.policy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Connection screening against DNS blocklists and allowlists, with weights:
 * <pre>{@code
 * <screening>
 *   <dnsbl threshold="3">
 *     <zone weight="3">zen.example</zone>
 *     <zone weight="1" codes="127.0.0.2,127.0.0.4-127.0.0.7">bl.example</zone>
 *     <zone weight="-5">list.dnswl.example</zone>
 *   </dnsbl>
 *   <passCache ttl="24h"/>
 * </screening>
 * }</pre>
 * No zone: off.
 *
 * @param threshold    the score from which a client is refused (default 1, as Postfix's postscreen)
 * @param zones        the zones, in the file's order
 * @param passCacheTtl how long a client that scored below the threshold is not looked up again (default 1h)
 * @param mode         enforce or only observe
 */
public record DnsblSettings(int threshold, List<DnsblZone> zones, Duration passCacheTtl, Mode mode)
        implements RuleSettings {

    public static final int DEFAULT_THRESHOLD = 1;
    public static final Duration DEFAULT_PASS_CACHE_TTL = Duration.ofHours(1);

    private static final DnsblSettings OFF =
            new DnsblSettings(DEFAULT_THRESHOLD, List.of(), DEFAULT_PASS_CACHE_TTL, Mode.ENFORCE);

    /** Reads {@code <dnsbl threshold mode>} and its {@code <zone weight codes>}s, and the {@code <passCache ttl>} beside. */
    public static final RuleElement.Reader<DnsblSettings> READER = element -> {
        element.allowAttributes(ConfigValues.MODE, "threshold");
        int threshold = (int) Math.min(
                Integer.MAX_VALUE,
                element.attribute("threshold", ConfigValues::atLeastOne).orElse((long) DEFAULT_THRESHOLD));
        List<DnsblZone> zones = new ArrayList<>();
        for (ConfigElement zone : element.repeated("zone")) {
            zone.allowAttributes("weight", "codes");
            zones.add(new DnsblZone(
                    zone.value(DnsblZone::name),
                    zone.attribute("weight", DnsblZone::weight).orElse(1),
                    zone.attribute("codes", DnsblZone::codes).orElse(List.of())));
        }
        Duration ttl = DEFAULT_PASS_CACHE_TTL;
        var passCache = element.sibling("passCache");
        if (passCache.isPresent()) {
            passCache.get().allowAttributes("ttl");
            passCache.get().value(text -> {
                if (!text.isEmpty()) {
                    throw new IllegalArgumentException("unexpected text: '" + text + "'");
                }
                return text;
            });
            ttl = passCache
                    .get()
                    .attribute("ttl", ConfigValues::positiveDuration)
                    .orElse(DEFAULT_PASS_CACHE_TTL);
        }
        return new DnsblSettings(threshold, zones, ttl, ConfigValues.mode(element));
    };

    public DnsblSettings {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
        }
        zones = List.copyOf(zones);
        Durations.requirePositive(passCacheTtl, "passCache ttl");
        Objects.requireNonNull(mode, "mode");
    }

    public static DnsblSettings off() {
        return OFF;
    }

    @Override
    public boolean enabled() {
        return !zones.isEmpty();
    }

    @Override
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", enabled());
        view.put("threshold", threshold);
        view.put("zones", zones.stream().map(DnsblZone::view).toList());
        view.put("passCacheTtl", Durations.format(passCacheTtl));
        view.put("mode", ConfigValues.text(mode));
        return view;
    }
}
