package io.github.smtpshield.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A plain blocking DNS client for these tests. Not dnsjava's SimpleResolver: the NIO client of dnsjava 3.5.2
 * sometimes sends a query only after a second, which would make these tests flaky for reasons not theirs.
 */
final class WireClient {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final InetSocketAddress server;

    WireClient(InetSocketAddress server) {
        this.server = server;
    }

    /** Over UDP, plain DNS (no EDNS): answers stop at 512 bytes. */
    Message udp(String name, int type) throws IOException {
        byte[] wire = query(name, type).toWire();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.send(new DatagramPacket(wire, wire.length));
            byte[] buffer = new byte[65535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return new Message(Arrays.copyOf(buffer, packet.getLength()));
        }
    }

    Message tcp(String name, int type) throws IOException {
        byte[] wire = query(name, type).toWire();
        try (Socket socket = new Socket()) {
            socket.connect(server, (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(wire.length);
            out.write(wire);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return new Message(answer);
        }
    }

    private static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
    }
}
