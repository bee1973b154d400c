package io.github.smtpshield.policy.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A set of network ranges, such as the exempt networks or the networks James relays for.
 *
 * <p>It also answers whether the ranges together cover a whole address family, which is what
 * makes a relay list an open relay: {@code 0.0.0.0/1, 128.0.0.0/1} covers all of IPv4 as surely
 * as {@code 0.0.0.0/0} does.
 */
public final class NetworkSet {

    private static final NetworkSet EMPTY = new NetworkSet(List.of());

    private final List<IpPrefix> ranges;
    private final boolean coversAllIpv4;
    private final boolean coversAllIpv6;

    private NetworkSet(List<IpPrefix> ranges) {
        this.ranges = List.copyOf(ranges);
        this.coversAllIpv4 = coversWholeFamily(32);
        this.coversAllIpv6 = coversWholeFamily(128);
    }

    /**
     * Reads ranges separated by commas and/or whitespace; an empty or blank text is the empty set.
     *
     * @throws IllegalArgumentException from {@link IpPrefix#parse} for the first malformed range
     */
    public static NetworkSet parse(String list) {
        return of(Arrays.stream(list.strip().split("[,\\s]+"))
                .filter(item -> !item.isEmpty())
                .map(IpPrefix::parse)
                .toList());
    }

    public static NetworkSet of(List<IpPrefix> ranges) {
        return ranges.isEmpty() ? EMPTY : new NetworkSet(ranges);
    }

    public static NetworkSet empty() {
        return EMPTY;
    }

    public boolean contains(InetAddress address) {
        for (IpPrefix range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The ranges in the order they were given. */
    public List<IpPrefix> ranges() {
        return ranges;
    }

    public boolean coversAllIpv4() {
        return coversAllIpv4;
    }

    public boolean coversAllIpv6() {
        return coversAllIpv6;
    }

    /** True when the ranges together cover every IPv4 address or every IPv6 address. */
    public boolean coversEverything() {
        return coversAllIpv4 || coversAllIpv6;
    }

    private boolean coversWholeFamily(int addressBits) {
        BigInteger nextUncovered = BigInteger.ZERO;
        for (IpPrefix range : ranges.stream()
                .filter(range -> range.addressBits() == addressBits)
                .sorted(Comparator.comparing(IpPrefix::first))
                .toList()) {
            if (range.first().compareTo(nextUncovered) > 0) {
                return false;
            }
            nextUncovered = nextUncovered.max(range.last().add(BigInteger.ONE));
        }
        return nextUncovered.equals(BigInteger.ONE.shiftLeft(addressBits));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkSet that && ranges.equals(that.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    /** The ranges, comma separated, in the form {@link #parse} reads back. */
    @Override
    public String toString() {
        return ranges.stream().map(IpPrefix::cidr).collect(Collectors.joining(", "));
    }
}
