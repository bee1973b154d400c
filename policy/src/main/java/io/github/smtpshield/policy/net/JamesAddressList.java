package io.github.smtpshield.policy.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the networks of James's {@code authorizedAddresses} (smtpserver.xml), for the start-up
 * guard that refuses to run an open relay.
 *
 * <p>James accepts {@code 127.0.0.0/8}, {@code 127.0.0.0/255.0.0.0}, {@code 127.0.0.*},
 * {@code *}, plain addresses and IPv6 with a prefix, separated by commas. Host names are resolved
 * by James but are not networks here: they cover nothing. Entries that cannot be read cover nothing
 * either.
 *
 * <p>Where James is lax the guard reads what the operator meant, erring towards "open":
 * {@code *} is every address of both families, {@code *.*.*.*} and a lone {@code 0.0.0.0} are all
 * of IPv4 (James 3.8.1 itself matches {@code 0.0.0.0} only, and fails to resolve {@code *.*.*.*}),
 * and a non-contiguous dotted netmask counts as its leading one bits.
 */
public final class JamesAddressList {

    private JamesAddressList() {}

    /** The networks the list covers; never throws. */
    public static NetworkSet parse(String authorizedAddresses) {
        List<IpPrefix> ranges = new ArrayList<>();
        for (String entry : authorizedAddresses.strip().split("[,\\s]+")) {
            ranges.addAll(networksOf(entry));
        }
        return NetworkSet.of(ranges);
    }

    private static List<IpPrefix> networksOf(String entry) {
        if (entry.isEmpty()) {
            return List.of();
        }
        if (entry.equals("*")) {
            return List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"));
        }
        if (entry.equals("0.0.0.0")) {
            return List.of(IpPrefix.parse("0.0.0.0/0"));
        }
        return (entry.contains(":") ? ipv6(entry) : ipv4(entry)).stream().toList();
    }

    private static Optional<IpPrefix> ipv6(String entry) {
        // James reads "%" as "/" in IPv6 entries and has no IPv6 wildcards.
        return cidr(entry.replace('%', '/'));
    }

    private static Optional<IpPrefix> ipv4(String entry) {
        if (entry.endsWith("*")) {
            return wildcard(entry);
        }
        int slash = entry.indexOf('/');
        if (slash >= 0 && entry.indexOf('.', slash) >= 0) {
            return dottedNetmask(entry.substring(0, slash), entry.substring(slash + 1));
        }
        return cidr(entry);
    }

    /** {@code 10.1.*} or {@code 10.1.*.*}: the leading octets are fixed, the trailing ones are wild. */
    private static Optional<IpPrefix> wildcard(String entry) {
        String[] octets = entry.split("\\.", -1);
        int fixed = 0;
        while (fixed < octets.length && !octets[fixed].equals("*")) {
            fixed++;
        }
        for (int i = fixed; i < octets.length; i++) {
            if (!octets[i].equals("*")) {
                return Optional.empty();
            }
        }
        if (octets.length > 4) {
            return Optional.empty();
        }
        String network = String.join(".", Arrays.copyOf(octets, fixed)) + ".0".repeat(4 - fixed);
        return cidr((fixed == 0 ? network.substring(1) : network) + "/" + (8 * fixed));
    }

    private static Optional<IpPrefix> dottedNetmask(String address, String netmask) {
        if (netmask.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return IpPrefix.address(netmask).flatMap(mask -> cidr(address + "/" + leadingOnes(mask.getAddress())));
    }

    private static int leadingOnes(byte[] mask) {
        int bits = 0;
        for (byte octet : mask) {
            int ones = Integer.numberOfLeadingZeros(~(octet & 0xff) & 0xff) - 24;
            bits += ones;
            if (ones < 8) {
                break;
            }
        }
        return bits;
    }

    private static Optional<IpPrefix> cidr(String text) {
        try {
            return Optional.of(IpPrefix.parse(text));
        } catch (IllegalArgumentException notANetwork) {
            return Optional.empty();
        }
    }
}
