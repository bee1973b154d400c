package io.github.smtpshield.james;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * A failed start-up reads as one line, on the console and in the log: James logs {@code Fatal error while starting
 * James} with the whole stack trace (a Guice provision error is some 70 lines) and exits. That report goes to DEBUG
 * instead, under James's logger, and one ERROR line takes its place: none more when the shield already said why
 * ({@link StartupGuard}), else {@code smtp-shield: cannot start: } and the innermost cause.
 *
 * <p>Installed in logback by the shield's module, the first code of the shield that runs, when logback is James's
 * logging (it is in every James 3.8 server); otherwise James's report stays as it is.
 */
final class StartupFailureLog extends TurboFilter {
    static final String CANNOT_START = "smtp-shield: cannot start: ";

    private static final String JAMES_SERVER = "org.apache.james.GuiceJamesServer";
    private static final String FATAL = "Fatal error while starting James";
    private static final org.slf4j.Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    /** Once per logging context, however often James builds the module. */
    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(StartupFailureLog.class::isInstance)) {
            context.addTurboFilter(new StartupFailureLog());
        }
    }

    @Override
    public FilterReply decide(
            Marker marker, Logger logger, Level level, String format, Object[] params, Throwable failure) {
        if (failure == null
                || level != Level.ERROR
                || !FATAL.equals(format)
                || !JAMES_SERVER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        if (!alreadyExplained(failure)) {
            LOGGER.error("{}{}", CANNOT_START, summary(List.copyOf(chain(failure))));
        }
        logger.debug(FATAL, failure);
        return FilterReply.DENY;
    }

    private static boolean alreadyExplained(Throwable failure) {
        for (Throwable cause : chain(failure)) {
            if (cause instanceof StartupGuard.ShieldStartupException) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, outermost first; a cycle ends it. */
    private static Set<Throwable> chain(Throwable failure) {
        Set<Throwable> chain = new LinkedHashSet<>();
        Throwable cause = failure;
        while (cause != null && chain.add(cause)) {
            cause = cause.getCause();
        }
        return chain;
    }

    /** The innermost cause; when it says nothing, with the class of the one it is wrapped in (which tells where). */
    private static String summary(List<Throwable> chain) {
        Throwable innermost = chain.get(chain.size() - 1);
        String what = innermost.getClass().getName();
        if (innermost.getMessage() != null && !innermost.getMessage().isBlank()) {
            what += ": " + firstLine(innermost.getMessage());
        } else if (chain.size() > 1) {
            what += " in " + chain.get(chain.size() - 2).getClass().getName();
        }
        return what + " (the stack trace is logged at DEBUG)";
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
