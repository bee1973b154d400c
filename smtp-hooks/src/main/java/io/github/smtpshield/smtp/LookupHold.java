package io.github.smtpshield.smtp;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.SmtpEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.inject.Inject;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.api.ProtocolSessionImpl;
import org.apache.james.protocols.api.ProtocolTransport;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.api.handler.ExtensibleHandler;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.api.handler.ProtocolHandlerResultHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a MAIL FROM or RCPT TO whose DNS lookups are not in yet, without holding a thread. James 3.8.1 runs its
 * hooks synchronously on the listener's few I/O threads, each shared by many connections: a hook that waited there
 * for DNS would make every other client of that thread wait too, for as long as an attacker's chosen name takes to
 * not answer.
 *
 * <p>It comes before James's handler of the command. When the shield's lookups for the command
 * ({@link Shield#lookUp}) are complete, it lets the command go on at once. Otherwise it stops reading from the
 * client, answers nothing for now (an empty response), and keeps the lines the client pipelined behind; once the
 * lookups are in, the held command and those lines are handed to James's command dispatcher, on a thread of its own,
 * and their replies written as James would write them. The hooks then find their answers ready.
 *
 * <p>RFC 2920 lets a client pipeline MAIL, RCPT, RSET and NOOP, and end a group with another command: that one is
 * handed over last, after the session is released (DATA and AUTH push line handlers of their own), and lines a
 * client sent after it, against RFC 2920, are dropped.
 */
public class LookupHold implements CommandHandler<SMTPSession>, ExtensibleHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(LookupHold.class);

    private static final Collection<String> COMMANDS = List.of("MAIL", "RCPT");
    /** The commands that may come in a pipelined group before its last one; they push no line handler. */
    private static final Set<String> GROUPED = Set.of("MAIL", "RCPT", "RSET", "NOOP");

    private static final ProtocolSession.AttachmentKey<Held> HELD =
            ProtocolSession.AttachmentKey.of("smtpshield.held", Held.class);

    /** What the held command answers for now: nothing is written (James's DISCONNECT has no lines either). */
    private static final Response NOTHING_YET = new Response() {
        @Override
        public String getRetCode() {
            return "250"; // read by James's JMX statistics; the client never sees it
        }

        @Override
        public List<CharSequence> getLines() {
            return List.of();
        }

        @Override
        public boolean isEndSession() {
            return false;
        }
    };

    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** Where held sessions go on: the lookups are in, what is left is James's own work and the store's. */
    private static final ExecutorService RESUMING = resumingThreads();

    private final Shield shield;
    private LineHandler<SMTPSession> dispatcher;
    private List<ProtocolHandlerResultHandler<Response, ProtocolSession>> resultHandlers = List.of();

    @Inject
    public LookupHold(Shield shield) {
        this.shield = shield;
    }

    @Override
    public Collection<String> getImplCommands() {
        return COMMANDS;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        boolean mailFrom = "MAIL".equals(request.getCommand());
        if (!shield.looksUp(mailFrom ? SmtpEvent.MailFrom.class : SmtpEvent.Recipient.class)) {
            return null;
        }
        Optional<ClientConnection> client = ClientSessions.client(session);
        if (client.isEmpty() || dispatcher == null || request.getArgument() == null) {
            return null;
        }
        Optional<SmtpEvent> event =
                mailFrom ? MailFromHook.event(request.getArgument()) : Optional.of(RecipientHook.event(session));
        if (event.isEmpty()) {
            return null; // James refuses the syntax; its hooks are not called
        }
        CompletableFuture<Void> lookups = shield.lookUp(client.get(), event.get());
        if (lookups.isDone()) {
            return null;
        }
        hold(session, request, lookups);
        return NOTHING_YET;
    }

    /** The client closed: a held session is not resumed. */
    static void disconnected(SMTPSession session) {
        session.getAttachment(HELD, ProtocolSession.State.Connection).ifPresent(Held::close);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // the stage resumes the session; nothing waits on it
    private void hold(SMTPSession session, Request request, CompletableFuture<Void> lookups) {
        byte[] line = (request.getCommand() + " " + request.getArgument() + "\r\n").getBytes(session.getCharset());
        Optional<Held> resuming =
                session.getAttachment(HELD, ProtocolSession.State.Connection).filter(Held::isResuming);
        Held held;
        if (resuming.isPresent()) {
            // A command the held session pipelined needs lookups of its own: the same hold goes on
            held = resuming.get();
            held.rehold(line);
        } else {
            held = new Held(session, line);
            session.setAttachment(HELD, held, ProtocolSession.State.Connection);
            transport(session).setReadable(false);
            session.pushLineHandler(held);
        }
        lookups.whenCompleteAsync((done, failure) -> held.resume(), RESUMING);
    }

    @Override
    public List<Class<?>> getMarkerInterfaces() {
        return List.of(LineHandler.class, ProtocolHandlerResultHandler.class);
    }

    @Override
    @SuppressWarnings("unchecked") // the chain hands over its handlers of the marker type
    public void wireExtensions(Class<?> marker, List<?> extensions) {
        if (marker.equals(LineHandler.class) && !extensions.isEmpty()) {
            // The one James's channel handler gives every line to: the command dispatcher
            dispatcher = (LineHandler<SMTPSession>) extensions.get(0);
        } else if (marker.equals(ProtocolHandlerResultHandler.class)) {
            resultHandlers = List.copyOf((List<ProtocolHandlerResultHandler<Response, ProtocolSession>>) extensions);
        }
    }

    /** A line as James's channel handler deals with it: dispatched, then seen by every result handler. */
    private Response dispatch(SMTPSession session, byte[] line) {
        long start = System.currentTimeMillis();
        Response response = dispatcher.onLine(session, line);
        long executionTime = System.currentTimeMillis() - start;
        for (ProtocolHandlerResultHandler<Response, ProtocolSession> handler : resultHandlers) {
            response = handler.onResponse(session, response, executionTime, dispatcher);
        }
        return response;
    }

    private static ProtocolTransport transport(SMTPSession session) {
        return ((ProtocolSessionImpl) session).getProtocolTransport();
    }

    private static String verb(byte[] line) {
        String text = new String(line, StandardCharsets.US_ASCII).trim();
        int space = text.indexOf(' ');
        return (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.US);
    }

    /** One held session: the lines it is waiting to hand over, in order; the line handler while it is held. */
    private final class Held implements LineHandler<SMTPSession> {
        private final SMTPSession session;
        /** One hand-over at a time, however the lookups complete; never taken on the event loop. */
        private final Object handingOver = new Object();
        /** Guarded by this, as the other fields. */
        private final Deque<byte[]> lines = new ArrayDeque<>();

        private boolean waiting = true;
        private boolean released;
        private boolean closed;

        Held(SMTPSession session, byte[] line) {
            this.session = session;
            lines.add(line);
        }

        /** A line that came while held (on the event loop): kept for later, unless the session was just released. */
        @Override
        public Response onLine(SMTPSession ignored, byte[] line) {
            synchronized (this) {
                if (!released) {
                    lines.add(line.clone());
                    return null;
                }
            }
            return dispatch(session, line);
        }

        /** True while the lines are being handed over: a command among them may need to be held in turn. */
        synchronized boolean isResuming() {
            return !released && !waiting;
        }

        synchronized void rehold(byte[] line) {
            lines.addFirst(line);
            waiting = true;
        }

        synchronized void close() {
            closed = true;
        }

        /** The lookups are in: hands the lines over, until one is held again or none is left. */
        void resume() {
            synchronized (handingOver) {
                synchronized (this) {
                    waiting = false;
                }
                try {
                    handOver();
                } catch (RuntimeException e) {
                    LOGGER.error("Could not resume a session held for its DNS lookups; closing it", e);
                    synchronized (this) {
                        closed = true;
                    }
                    transport(session).writeResponse(Response.DISCONNECT, session);
                }
            }
        }

        private void handOver() {
            while (true) {
                byte[] line;
                boolean last;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    line = lines.poll();
                    if (line == null) {
                        release();
                        return;
                    }
                    last = !GROUPED.contains(verb(line));
                    if (last) {
                        if (!lines.isEmpty()) {
                            LOGGER.debug(
                                    "Dropping {} line(s) pipelined after {} against RFC 2920",
                                    lines.size(),
                                    verb(line));
                            lines.clear();
                        }
                        // It may push a line handler of its own (DATA, AUTH): ours must be gone first
                        release();
                    }
                }
                Response response = dispatch(session, line);
                if (response != null) {
                    transport(session).writeResponse(response, session);
                }
                synchronized (this) {
                    if (response != null && response.isEndSession()) {
                        closed = true; // James closes the connection, and reads nothing more
                    }
                    if (last || waiting || closed) {
                        return;
                    }
                }
            }
        }

        /** Called holding the lock: from now on lines go the ordinary way. */
        private void release() {
            released = true;
            session.removeAttachment(HELD, ProtocolSession.State.Connection);
            session.popLineHandler();
            transport(session).setReadable(true);
        }
    }

    private static ExecutorService resumingThreads() {
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "smtpshield-resume-" + THREAD_NUMBER.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
