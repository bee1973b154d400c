package io.github.smtpshield.smtp;

import java.util.List;
import java.util.stream.Stream;

import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.smtpserver.CoreCmdHandlerLoader;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;

/**
 * The handler package of a listener the shield guards:
 * <pre>&lt;handlerchain coreHandlersPackage="io.github.smtpshield.smtp.ShieldCoreHandlers"&gt;</pre>
 * It is James's own {@link CoreCmdHandlerLoader} list, with James's greeting replaced by the shield's (which
 * admits or refuses the client before greeting it: James 3.8.1 cannot refuse a connection from an ordinary
 * connect handler while JMX is on), preceded by the shield's hooks.
 */
public class ShieldCoreHandlers implements HandlersPackage {
    private static final List<String> SHIELD_HANDLERS = List.of(
        ProxiedClientAdmission.class.getName(),
        ClientDisconnect.class.getName(),
        MessageRateHook.class.getName(),
        HookOutcomes.class.getName());

    private static final List<String> HANDLERS = Stream.concat(
            SHIELD_HANDLERS.stream(),
            new CoreCmdHandlerLoader().getHandlers().stream().map(ShieldCoreHandlers::replaceGreeting))
        .toList();

    private static String replaceGreeting(String handler) {
        return handler.equals(JamesWelcomeMessageHandler.class.getName()) ? ShieldGreeting.class.getName() : handler;
    }

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
