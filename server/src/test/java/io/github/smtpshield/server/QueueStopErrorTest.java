package io.github.smtpshield.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import javax.jms.JMSException;
import org.apache.activemq.transport.TransportDisposedIOException;
import org.junit.jupiter.api.Test;

class QueueStopErrorTest {

    @Test
    void anInterruptedReceiveEndsTheConsumption() {
        JMSException receive = new JMSException("receive interrupted");
        receive.initCause(new InterruptedException());

        assertThat(ShieldServerMain.endsQueueConsumption(receive)).isTrue();
    }

    @Test
    void aTransportDisposedByTheBrokersStopEndsTheConsumption() {
        // As ActiveMQ reports it: the correlator's disposal wraps the stopped peer.
        Throwable disposed = new TransportDisposedIOException(
                "Disposed due to prior exception", new TransportDisposedIOException("peer (vm://james#19) stopped."));

        assertThat(ShieldServerMain.endsQueueConsumption(new RuntimeException(disposed)))
                .isTrue();
    }

    @Test
    void anyOtherErrorIsNotExpected() {
        assertThat(ShieldServerMain.endsQueueConsumption(new IOException("disk full")))
                .isFalse();
        assertThat(ShieldServerMain.endsQueueConsumption(new IllegalStateException(new JMSException("broker gone"))))
                .isFalse();
    }
}
