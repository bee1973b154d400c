package io.github.smtpshield.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, from its own socket list: the socket inodes of {@code /proc/<pid>/fd} looked
 * up in {@code /proc/<pid>/net/tcp} and {@code tcp6} (which list the whole network namespace). Linux only.
 */
final class ListeningSockets {
    private static final Pattern SOCKET_LINK = Pattern.compile("socket:\\[(\\d+)]");
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /** A listening socket: its local address and port. */
    record Listener(InetAddress address, int port) {
        /** Java reads {@code ::ffff:127.0.0.1} (an IPv6 socket bound to 127.0.0.1) as the IPv4 address. */
        boolean isLoopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    static List<Listener> of(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        Set<String> inodes = socketInodes(proc.resolve("fd"));
        List<Listener> listeners = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            try (Stream<String> lines = Files.lines(proc.resolve("net").resolve(table))) {
                lines.skip(1).map(String::trim).map(line -> line.split("\\s+")).forEach(fields -> {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    if (fields[3].equals(LISTEN) && inodes.contains(fields[9])) {
                        listeners.add(listener(fields[1]));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return listeners;
    }

    private static Set<String> socketInodes(Path fds) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> links = Files.list(fds)) {
            links.forEach(link -> {
                try {
                    Matcher socket =
                            SOCKET_LINK.matcher(Files.readSymbolicLink(link).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /** {@code 0100007F:270F}: the address in 32-bit words of host order (little-endian here), the port in hex. */
    private static Listener listener(String field) {
        String[] parts = field.split(":");
        byte[] words = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[words.length];
        for (int word = 0; word < words.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                address[word + i] = words[word + 3 - i];
            }
        }
        try {
            return new Listener(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
