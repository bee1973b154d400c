package io.github.smtpshield.policy.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.WireParseException;

/**
 * One query to one server, answered or failed by a deadline: over UDP, then over TCP when the UDP answer
 * is truncated (RFC 7766). Blocking: {@link DnsJavaClient} runs it on its own threads.
 *
 * <p>Why not dnsjava's {@code SimpleResolver}: in dnsjava 3.5.2, the version James 3.8.1 ships (and which wins
 * over ours on its class path), the NIO selector sends a new query only when a {@code select()} returns with
 * no key ready. With concurrent lookups a query can wait up to a second before it is even sent, and longer
 * under steady load (fixed in dnsjava 3.5.3). dnsjava still provides the wire format.
 */
final class DnsExchange {

    /** RFC 6891 payload size we advertise and accept over UDP (the DNS flag day 2020 value). */
    static final int UDP_PAYLOAD = 1232;

    private DnsExchange() {}

    static Message exchange(InetSocketAddress server, Message query, long deadlineNanos) throws IOException {
        Message response = overUdp(server, query, deadlineNanos);
        if (response.getHeader().getFlag(Flags.TC)) {
            return overTcp(server, query, deadlineNanos);
        }
        return response;
    }

    private static Message overUdp(InetSocketAddress server, Message query, long deadlineNanos) throws IOException {
        byte[] wire = query.toWire();
        // An unbound socket gets a fresh ephemeral port from the OS for every query (source port randomisation)
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            socket.send(new DatagramPacket(wire, wire.length));
            byte[] buffer = new byte[UDP_PAYLOAD];
            while (true) {
                socket.setSoTimeout(remainingMillis(deadlineNanos));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message response = parse(buffer, packet.getLength());
                if (response != null && answers(query, response)) {
                    return response;
                }
                // garbage, or an answer to another query (late, or spoofed): keep waiting for ours
            }
        }
    }

    /** RFC 1035 §4.2.2: each message is preceded by its length on two bytes. */
    private static Message overTcp(InetSocketAddress server, Message query, long deadlineNanos) throws IOException {
        byte[] wire = query.toWire();
        try (Socket socket = new Socket()) {
            socket.connect(server, remainingMillis(deadlineNanos));
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            Message response = new Message(answer);
            if (!answers(query, response)) {
                throw new WireParseException("TCP answer does not match the query " + query.getQuestion());
            }
            return response;
        }
    }

    private static Message parse(byte[] buffer, int length) {
        try {
            return new Message(Arrays.copyOf(buffer, length));
        } catch (IOException notDns) {
            return null;
        }
    }

    private static boolean answers(Message query, Message response) {
        return response.getHeader().getFlag(Flags.QR)
                && response.getHeader().getID() == query.getHeader().getID()
                && query.getQuestion().equals(response.getQuestion());
    }

    /** At least 1 ms: a socket timeout of 0 would mean "wait forever". */
    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("DNS deadline passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(remaining)));
    }
}
