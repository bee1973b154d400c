package io.github.smtpshield.policy.config;

import io.github.smtpshield.policy.net.IpPrefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code <servers>127.0.0.1:53, [::1]:5353, 192.0.2.1</servers>}: IP literals only (a
 * resolver cannot be found by asking a resolver), port 53 unless given, IPv6 in brackets when it
 * has a port.
 */
final class DnsServers {

    private static final int DNS_PORT = 53;
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]*)\\](?::(.*))?");

    private DnsServers() {}

    /** @throws IllegalArgumentException ending with the quoted bad entry */
    static List<InetSocketAddress> parse(String list) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String entry : list.strip().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                servers.add(server(entry));
            }
        }
        return List.copyOf(servers);
    }

    private static InetSocketAddress server(String entry) {
        Matcher bracketed = BRACKETED.matcher(entry);
        if (bracketed.matches()) {
            return socket(entry, bracketed.group(1), Optional.ofNullable(bracketed.group(2)));
        }
        int colon = entry.indexOf(':');
        if (colon >= 0 && colon == entry.lastIndexOf(':')) {
            return socket(entry, entry.substring(0, colon), Optional.of(entry.substring(colon + 1)));
        }
        return socket(entry, entry, Optional.empty());
    }

    private static InetSocketAddress socket(String entry, String host, Optional<String> port) {
        InetAddress address = IpPrefix.address(host)
                .orElseThrow(
                        () -> new IllegalArgumentException("not an IP address with an optional port: '" + entry + "'"));
        return new InetSocketAddress(
                address, port.map(text -> port(entry, text)).orElse(DNS_PORT));
    }

    private static int port(String entry, String text) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: '" + entry + "'");
        }
        return Integer.parseInt(text);
    }
}
