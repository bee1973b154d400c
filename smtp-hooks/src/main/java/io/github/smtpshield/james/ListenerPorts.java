package io.github.smtpshield.james;

import io.github.smtpshield.audit.conf.ConfProperties;
import io.github.smtpshield.audit.conf.ServerListener;
import io.github.smtpshield.audit.conf.UnreadableConfException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Before James opens any port: every port it is about to listen on (its protocol servers, WebAdmin, JMX) must be free.
 * James alone fails with a bare {@code BindException: Address already in use} that names neither the port nor the
 * listener; this names both ({@code port 25 of SMTP listener 'smtpserver-global' is in use}). A port taken in the
 * instant between this check and James's bind still fails James's start, with the trace at DEBUG
 * ({@link StartupFailureLog}).
 */
final class ListenerPorts {
    private final Path conf;

    ListenerPorts(Path conf) {
        this.conf = conf;
    }

    /** @throws StartupGuard.ShieldStartupException naming the first port that cannot be opened */
    void check() throws UnreadableConfException {
        for (Port port : ports()) {
            port.problem().ifPresent(problem -> {
                throw StartupGuard.cannotStart("port " + port.port() + " of " + port.owner() + " " + problem);
            });
        }
    }

    private List<Port> ports() throws UnreadableConfException {
        List<Port> ports = new ArrayList<>();
        for (ServerListener listener : ServerListener.read(conf)) {
            int colon = listener.bind().lastIndexOf(':');
            if (colon > 0) {
                ports.add(new Port(
                        listener.protocol() + " listener '" + listener.name() + "'",
                        listener.bind().substring(0, colon).replace("[", "").replace("]", ""),
                        listener.bind().substring(colon + 1)));
            }
        }
        ConfProperties.read(conf.resolve("webadmin.properties"))
                .filter(webAdmin -> webAdmin.bool("enabled", false))
                .ifPresent(webAdmin -> ports.add(
                        new Port("WebAdmin", webAdmin.get("host", "localhost"), webAdmin.get("port", "8080"))));
        ConfProperties.read(conf.resolve("jmx.properties"))
                .filter(jmx -> jmx.bool("jmx.enabled", true))
                .ifPresent(jmx ->
                        ports.add(new Port("JMX", jmx.get("jmx.address", "localhost"), jmx.get("jmx.port", "9999"))));
        return ports;
    }

    /** A port James will open: for {@code owner}, on {@code host} (an address or a name), as the conf writes it. */
    private record Port(String owner, String host, String port) {

        /** Why the port cannot be opened, empty when it can (or when James itself will refuse its value). */
        Optional<String> problem() {
            int number;
            try {
                number = Integer.parseInt(port.strip());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (number <= 0 || number > 65535) {
                return Optional.empty();
            }
            try (ServerSocket socket = new ServerSocket()) {
                // As Netty binds: a port left in TIME_WAIT by the last run is free.
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(host, number));
                return Optional.empty();
            } catch (BindException e) {
                String reason = String.valueOf(e.getMessage());
                if (reason.contains("in use")) {
                    return Optional.of("is in use");
                }
                if (reason.contains("ermission")) {
                    return Optional.of("needs root (ports under 1024) or the capability CAP_NET_BIND_SERVICE");
                }
                return Optional.of("cannot be opened on " + host + ": " + reason);
            } catch (IOException | IllegalArgumentException | SecurityException e) {
                return Optional.of("cannot be opened on " + host + ": " + e.getMessage());
            }
        }
    }
}
