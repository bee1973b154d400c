package io.github.smtpshield.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server for tests, in this JVM, on 127.0.0.1, UDP and TCP on the same free port.
 * It knows only what it is told: a name it has no record for (nor below) is NXDOMAIN; a known name
 * without a record of the asked type is NOERROR with no data; {@link #servfail} and {@link #silent}
 * names (or name and type) and {@link #silentZone} zones fail on purpose. Negative answers carry an SOA (RFC 2308) whose TTL is {@link #negativeTtl}.
 *
 * <pre>{@code
 * try (LoopbackDnsServer dns = new LoopbackDnsServer()
 *         .mx("example.test", 10, "mail.example.test")
 *         .a("mail.example.test", "127.0.0.1")) {
 *     // point the resolver at dns.address()
 * }
 * }</pre>
 */
public final class LoopbackDnsServer implements AutoCloseable {

    /** TTL of the records added by the convenience methods; {@link #record} takes any TTL. */
    public static final long DEFAULT_TTL_SECONDS = 300;

    private static final int UDP_PLAIN_DNS_LIMIT = 512;
    private static final int MAX_MESSAGE = 65535;
    private static final int BIND_ATTEMPTS = 20;

    private final Zone zone = new Zone();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-dns");
        thread.setDaemon(true);
        return thread;
    });

    /** Binds UDP and TCP on 127.0.0.1 and starts answering. */
    public LoopbackDnsServer() {
        try {
            BoundSockets sockets = bindSamePort();
            this.udp = sockets.udp();
            this.tcp = sockets.tcp();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the loopback DNS server", e);
        }
        threads.execute(this::serveUdp);
        threads.execute(this::acceptTcp);
    }

    /** The address clients query, UDP and TCP alike. */
    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** Adds any record, for what the convenience methods don't cover (another TTL, another type). */
    public LoopbackDnsServer record(Record record) {
        zone.add(record);
        return this;
    }

    public LoopbackDnsServer mx(String name, int preference, String exchange) {
        return record(new MXRecord(Zone.name(name), DClass.IN, DEFAULT_TTL_SECONDS, preference, Zone.name(exchange)));
    }

    /** RFC 7505: the domain accepts no mail (a single MX, preference 0, exchange "."). */
    public LoopbackDnsServer nullMx(String name) {
        return record(new MXRecord(Zone.name(name), DClass.IN, DEFAULT_TTL_SECONDS, 0, Name.root));
    }

    public LoopbackDnsServer a(String name, String ipv4) {
        return record(new ARecord(Zone.name(name), DClass.IN, DEFAULT_TTL_SECONDS, literal(ipv4, Address.IPv4)));
    }

    public LoopbackDnsServer aaaa(String name, String ipv6) {
        return record(new AAAARecord(Zone.name(name), DClass.IN, DEFAULT_TTL_SECONDS, literal(ipv6, Address.IPv6)));
    }

    /** A PTR record for an IPv4 or IPv6 address, under in-addr.arpa or ip6.arpa. */
    public LoopbackDnsServer ptr(String ip, String hostname) {
        int family = ip.contains(":") ? Address.IPv6 : Address.IPv4;
        Name reverse = ReverseMap.fromAddress(literal(ip, family));
        return record(new PTRRecord(reverse, DClass.IN, DEFAULT_TTL_SECONDS, Zone.name(hostname)));
    }

    /** Every query for this exact name is answered SERVFAIL. */
    public LoopbackDnsServer servfail(String name) {
        return servfail(name, Type.ANY);
    }

    /** Queries for this exact name and type are answered SERVFAIL ({@link Type#ANY}: every type). */
    public LoopbackDnsServer servfail(String name, int type) {
        zone.servfail(Zone.name(name), type);
        return this;
    }

    /** Queries for this exact name are never answered: the client times out. */
    public LoopbackDnsServer silent(String name) {
        return silent(name, Type.ANY);
    }

    /** Queries for this exact name and type are never answered ({@link Type#ANY}: every type). */
    public LoopbackDnsServer silent(String name, int type) {
        zone.silent(Zone.name(name), type);
        return this;
    }

    /** No query for the zone's apex or any name below it is ever answered, as when all its servers are down. */
    public LoopbackDnsServer silentZone(String apex) {
        zone.silentZone(Zone.name(apex));
        return this;
    }

    /** TTL and minimum of the SOA sent with NXDOMAIN and no-data answers; 60 s unless set. */
    public LoopbackDnsServer negativeTtl(Duration ttl) {
        zone.negativeTtl(ttl);
        return this;
    }

    /** How many queries asked about this name (any type, UDP and TCP). */
    public int queryCount(String name) {
        return zone.queryCount(Zone.name(name));
    }

    /** How many queries asked about the zone's apex or a name below it (any type, UDP and TCP). */
    public int queryCountUnder(String apex) {
        return zone.queryCountUnder(Zone.name(apex));
    }

    /** How many queries this server received. */
    public int queryCount() {
        return zone.queryCount();
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway: nothing useful to do with a failure here
        }
        connections.forEach(LoopbackDnsServer::closeQuietly);
        threads.shutdownNow();
    }

    private void serveUdp() {
        byte[] buffer = new byte[MAX_MESSAGE];
        while (!udp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                Optional<Message> response = zone.answer(query);
                if (response.isPresent()) {
                    byte[] wire = toUdpWire(query, response.get());
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
                // otherwise a packet that is not a DNS message: no answer, as from a real server
            }
        }
    }

    /** Plain DNS over UDP stops at 512 bytes, EDNS at the advertised size: beyond, TC tells the client to use TCP. */
    private static byte[] toUdpWire(Message query, Message response) {
        OPTRecord opt = query.getOPT();
        int limit = UDP_PLAIN_DNS_LIMIT;
        if (opt != null) {
            limit = Math.max(UDP_PLAIN_DNS_LIMIT, opt.getPayloadSize());
            response.addRecord(new OPTRecord(limit, 0, 0), Section.ADDITIONAL);
        }
        return response.toWire(limit);
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket connection = tcp.accept();
                connections.add(connection);
                threads.execute(() -> serveTcp(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** RFC 1035 §4.2.2: each message is preceded by its length on two bytes; a connection may carry several. */
    private void serveTcp(Socket connection) {
        try (connection;
                DataInputStream in = new DataInputStream(connection.getInputStream());
                DataOutputStream out = new DataOutputStream(connection.getOutputStream())) {
            while (true) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                Optional<Message> response = zone.answer(new Message(wire));
                if (response.isPresent()) {
                    byte[] answer = response.get().toWire(MAX_MESSAGE);
                    out.writeShort(answer.length);
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (IOException endOfConnection) {
            // the client closed, or sent garbage: either way this connection is over
        } finally {
            connections.remove(connection);
        }
    }

    /** dnsjava retries a truncated UDP answer over TCP on the same address and port: bind both on one port. */
    private static BoundSockets bindSamePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 1; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            ServerSocket tcp = new ServerSocket();
            try {
                tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
                return new BoundSockets(udp, tcp);
            } catch (BindException portTakenForTcp) {
                tcp.close();
                udp.close();
                if (attempt == BIND_ATTEMPTS) {
                    throw portTakenForTcp;
                }
            }
        }
    }

    private record BoundSockets(DatagramSocket udp, ServerSocket tcp) {}

    private static InetAddress literal(String ip, int family) {
        byte[] bytes = Address.toByteArray(ip, family);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "not an IP" + (family == Address.IPv4 ? "v4" : "v6") + " address: " + ip);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the peer may have gone already
        }
    }
}
