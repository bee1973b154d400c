package io.github.smtpshield.james;

import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a configuration problem into one clear log line and a failed start-up. James stops with exit status 1
 * on any start-up exception; the line logged here is the one an administrator needs (James's own report of the
 * failure, with its stack trace, goes to DEBUG: {@link StartupFailureLog}).
 */
final class StartupGuard {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    private StartupGuard() {}

    static <T> T failFast(Callable<T> startupStep) {
        try {
            return startupStep.call();
        } catch (ShieldStartupException e) {
            throw e;
        } catch (Exception e) {
            throw refuse(e.getMessage());
        }
    }

    static ShieldStartupException refuse(String reason) {
        LOGGER.error("SMTP Shield refuses to start: {}", reason);
        return new ShieldStartupException("SMTP Shield refuses to start: " + reason);
    }

    /**
     * Something James needs at start-up is not there (a port is taken): {@code smtp-shield: cannot start: <reason>},
     * logged once.
     */
    static ShieldStartupException cannotStart(String reason) {
        LOGGER.error("{}{}", StartupFailureLog.CANNOT_START, reason);
        return new ShieldStartupException(StartupFailureLog.CANNOT_START + reason);
    }

    /** A start-up refusal whose message is already logged. */
    static final class ShieldStartupException extends RuntimeException {
        ShieldStartupException(String message) {
            super(message, null, false, false);
        }
    }
}
