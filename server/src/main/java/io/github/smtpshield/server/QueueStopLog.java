package io.github.smtpshield.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.google.common.base.Throwables;
import org.apache.activemq.transport.TransportDisposedIOException;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import reactor.core.publisher.Hooks;

/**
 * A clean stop logs no ERROR. At stop James 3.8.1's spooler interrupts its reader of the mail queue while a JMS
 * {@code receive()} is blocked; ActiveMQ may then close the reader's session and its in-VM transport under it. What
 * follows is the expected end of the queue's consumption, and the unacknowledged mail stays in the queue, but James
 * and Reactor log it at ERROR with a stack trace:
 *
 * <ul>
 * <li>Reactor's default for an error nobody listens to any more ({@code onErrorDropped}): an interrupted receive or
 *     a disposed transport is logged at INFO instead; every other dropped error at ERROR as before;
 * <li>James's {@code Error while rolling session back} of a session already closed: while the JVM stops only, it is
 *     logged at DEBUG, and one INFO line says the consumption stopped; at any other time it stays an ERROR, for then
 *     the spool has stopped reading.
 * </ul>
 */
final class QueueStopLog extends TurboFilter {
    private static final org.slf4j.Logger LOGGER = LoggerFactory.getLogger(ShieldServerMain.class);
    private static final String STOPPED = "Mail queue consumption stopped";
    private static final String JMS_QUEUE = "org.apache.james.queue.jms.JMSCacheableMailQueue";
    private static final String ROLLBACK_FAILED = "Error while rolling session back";

    private volatile boolean stopping;

    /** From the start: the hooks are in place before James makes its queues. */
    static void install() {
        Hooks.onErrorDropped(error -> {
            if (endsQueueConsumption(error)) {
                LOGGER.info(STOPPED);
            } else {
                LOGGER.error("Operator called default onErrorDropped", error);
            }
        });
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            QueueStopLog filter = new QueueStopLog();
            context.addTurboFilter(filter);
            // Runs at once with James's own hook, which takes seconds to reach the spooler (its listeners stop first).
            Runtime.getRuntime().addShutdownHook(new Thread(filter::stopping, "smtpshield-stopping"));
        }
    }

    static boolean endsQueueConsumption(Throwable error) {
        return Throwables.getCausalChain(error).stream()
                .anyMatch(cause ->
                        cause instanceof InterruptedException || cause instanceof TransportDisposedIOException);
    }

    void stopping() {
        stopping = true;
    }

    @Override
    public FilterReply decide(
            Marker marker, Logger logger, Level level, String format, Object[] params, Throwable failure) {
        if (!stopping
                || level != Level.ERROR
                || !(failure instanceof javax.jms.IllegalStateException)
                || !ROLLBACK_FAILED.equals(format)
                || !JMS_QUEUE.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        logger.debug(ROLLBACK_FAILED, failure);
        LOGGER.info(STOPPED);
        return FilterReply.DENY;
    }
}
