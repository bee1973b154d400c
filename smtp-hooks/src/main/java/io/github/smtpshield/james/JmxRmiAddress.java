package io.github.smtpshield.james;

import io.github.smtpshield.audit.conf.ConfProperties;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.rmi.server.RMISocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds JMX's RMI server port to the JMX address. James 3.8.1 binds its JMX registry to {@code jmx.address} of
 * {@code jmx.properties}, but exports the RMI server behind it (a random port) with RMI's default socket factory,
 * which listens on every interface. The JVM's RMI socket factory, set here before James starts JMX (the shield's
 * module is built first), makes that port listen on the registry's address too.
 */
final class JmxRmiAddress {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");
    /** James's default for {@code jmx.address}. */
    private static final String JAMES_DEFAULT = "localhost";

    private JmxRmiAddress() {}

    static void apply(Path confFolder) {
        String address = ConfProperties.read(confFolder.resolve("jmx.properties"))
                .map(jmx -> jmx.get("jmx.address", JAMES_DEFAULT))
                .orElse(JAMES_DEFAULT);
        try {
            if (RMISocketFactory.getSocketFactory() == null) {
                RMISocketFactory.setSocketFactory(new BoundServerSockets(InetAddress.getByName(address)));
            }
        } catch (IOException e) {
            LOGGER.warn(
                    "JMX's RMI port will listen on every interface: cannot bind it to '{}': {}", address, e.toString());
        }
    }

    /** Server sockets on one address; client sockets as RMI makes them by default. */
    private static final class BoundServerSockets extends RMISocketFactory {
        private final InetAddress address;

        BoundServerSockets(InetAddress address) {
            this.address = address;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(address, port));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return new Socket(host, port);
        }
    }
}
