package io.github.smtpshield.e2e.robustness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Refused connections at a set rate from one thread: non-blocking connections, up to a number at once, each bound to
 * one of the flooding source addresses in turn. A connection counts as refused when the server's first reply is the one
 * expected for its source and the server then closes the connection (so the server, not this client, holds the
 * TIME_WAIT: the flood does not run out of local ports). A thread per blocking socket reading byte by byte, as
 * before, spent more of the two cores than the server did, and measured the client, not the server.
 */
final class ConnectionFlood implements Callable<Void> {
    private static final int MAX_REPLY = 512;

    private final InetSocketAddress server;
    private final List<InetSocketAddress> sources;
    private final UnaryOperator<String> expectedReply;
    private final int concurrency;
    private final int perSecond;
    private final AtomicBoolean going;
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private final List<String> wrongAnswers;
    private long opened;
    private int open;

    /**
     * @param expectedReply the whole first reply line expected for a source address
     * @param perSecond     connections opened per second (fewer if the server answers slower)
     * @param concurrency   connections open at once, at most
     * @param wrongAnswers  where the first few unexpected outcomes are written (source, and what happened)
     */
    ConnectionFlood(
            int port,
            List<String> sources,
            UnaryOperator<String> expectedReply,
            int perSecond,
            int concurrency,
            AtomicBoolean going,
            List<String> wrongAnswers) {
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.sources =
                sources.stream().map(source -> new InetSocketAddress(source, 0)).toList();
        this.expectedReply = expectedReply;
        this.concurrency = concurrency;
        this.perSecond = perSecond;
        this.going = going;
        this.wrongAnswers = wrongAnswers;
    }

    /** Refused connections so far, per source address. */
    Map<String, AtomicLong> refused() {
        return refused;
    }

    @Override
    public Void call() throws IOException {
        Selector selector = Selector.open();
        try {
            long started = System.nanoTime();
            while (going.get()) {
                long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
                while (opened < due && open < concurrency) {
                    open(selector);
                }
                selector.select(1);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (step(key)) {
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
        return null;
    }

    private void open(Selector selector) throws IOException {
        InetSocketAddress source = sources.get((int) (opened++ % sources.size()));
        Attempt attempt = new Attempt(source.getAddress().getHostAddress());
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.bind(source);
            boolean connected = channel.connect(server);
            channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, attempt);
            open++;
        } catch (IOException e) {
            channel.close();
            wrongAnswer(attempt.source + ": " + e);
        }
    }

    /** Advances one connection; true when it is over (and closed). */
    private boolean step(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        Attempt attempt = (Attempt) key.attachment();
        try {
            if (key.isConnectable()) {
                if (channel.finishConnect()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return false;
            }
            if (channel.read(attempt.reply) >= 0 && attempt.reply.hasRemaining()) {
                return false;
            }
            attempt.closedByServer(expectedReply.apply(attempt.source));
        } catch (IOException e) {
            wrongAnswer(attempt.source + ": " + e);
        }
        channel.close();
        return true;
    }

    private void wrongAnswer(String what) {
        if (wrongAnswers.size() < 10) {
            wrongAnswers.add(what);
        }
    }

    private final class Attempt {
        final String source;
        final ByteBuffer reply = ByteBuffer.allocate(MAX_REPLY);

        Attempt(String source) {
            this.source = source;
        }

        void closedByServer(String expected) {
            String received = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
            if (received.equals(expected + "\r\n")) {
                refused.computeIfAbsent(source, any -> new AtomicLong()).incrementAndGet();
            } else {
                wrongAnswer(source + " was answered: " + received.strip());
            }
        }
    }
}
