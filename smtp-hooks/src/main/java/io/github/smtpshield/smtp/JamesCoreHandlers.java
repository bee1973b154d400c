package io.github.smtpshield.smtp;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;

/** James's own core handler list ({@link CoreCmdHandlerLoader}), with handlers put before it and some replaced. */
final class JamesCoreHandlers {
    private JamesCoreHandlers() {}

    /**
     * @param first    handlers that come before James's (their hooks run first)
     * @param replaced James's handler class name → the class that takes its place in the list
     */
    static List<String> with(List<String> first, Map<String, String> replaced) {
        return Stream.concat(
                        first.stream(),
                        new CoreCmdHandlerLoader()
                                .getHandlers().stream().map(handler -> replaced.getOrDefault(handler, handler)))
                .toList();
    }
}
