package io.github.smtpshield.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import javax.jms.JMSException;
import org.apache.activemq.transport.TransportDisposedIOException;
import org.junit.jupiter.api.Test;

class QueueStopLogTest {
    private static final String ROLLBACK_FAILED = "Error while rolling session back";
    private final javax.jms.IllegalStateException sessionClosed =
            new javax.jms.IllegalStateException("The Session is closed");

    private final LoggerContext logging = new LoggerContext();
    private final Logger jmsQueue = logging.getLogger("org.apache.james.queue.jms.JMSCacheableMailQueue");
    private final QueueStopLog filter = new QueueStopLog();

    @Test
    void anInterruptedReceiveEndsTheConsumption() {
        JMSException receive = new JMSException("receive interrupted");
        receive.initCause(new InterruptedException());

        assertThat(QueueStopLog.endsQueueConsumption(receive)).isTrue();
    }

    @Test
    void aTransportDisposedByTheBrokersStopEndsTheConsumption() {
        // As ActiveMQ reports it: the correlator's disposal wraps the stopped peer.
        Throwable disposed = new TransportDisposedIOException(
                "Disposed due to prior exception", new TransportDisposedIOException("peer (vm://james#19) stopped."));

        assertThat(QueueStopLog.endsQueueConsumption(new RuntimeException(disposed)))
                .isTrue();
    }

    @Test
    void anyOtherDroppedErrorIsNotExpected() {
        assertThat(QueueStopLog.endsQueueConsumption(new IOException("disk full")))
                .isFalse();
        assertThat(QueueStopLog.endsQueueConsumption(new IllegalStateException(new JMSException("broker gone"))))
                .isFalse();
    }

    @Test
    void aRollbackOfAClosedSessionWhileTheJvmStopsIsNoError() {
        filter.stopping();

        assertThat(filter.decide(null, jmsQueue, Level.ERROR, ROLLBACK_FAILED, null, sessionClosed))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void theSameFailureBeforeTheStopStaysAnError() {
        assertThat(filter.decide(null, jmsQueue, Level.ERROR, ROLLBACK_FAILED, null, sessionClosed))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void duringTheStopEveryOtherErrorStaysAsItIs() {
        filter.stopping();

        assertThat(filter.decide(null, jmsQueue, Level.ERROR, ROLLBACK_FAILED, null, new JMSException("other")))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(null, jmsQueue, Level.ERROR, "Unable to dequeue", null, sessionClosed))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(filter.decide(
                        null,
                        logging.getLogger("org.apache.james.Other"),
                        Level.ERROR,
                        ROLLBACK_FAILED,
                        null,
                        sessionClosed))
                .isEqualTo(FilterReply.NEUTRAL);
    }
}
