package io.tideline.serve;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live-feed connection, with an outbox and a sending thread of its own: a client that stops reading (a frozen
 * tab, a half-dead network path) blocks only its own thread, never the feed of the others. When its outbox fills up
 * it is dropped; a browser's EventSource reconnects by itself and starts again from current figures.
 */
final class FeedClient {

    /** Where a client's messages are written: its Server-Sent Events stream. */
    interface Connection {
        /** May block while the client does not read. */
        void send(String event, String json) throws IOException;

        void close();
    }

    private record Message(String event, String json) {
    }

    private final Connection connection;
    private final BlockingQueue<Message> outbox;
    private final Runnable onClosed;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Thread sender;

    FeedClient(String name, Connection connection, int outboxCapacity, Runnable onClosed) {
        this.connection = connection;
        this.outbox = new ArrayBlockingQueue<>(outboxCapacity);
        this.onClosed = onClosed;
        this.sender = new Thread(this::sendAll, name);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues a message; false if the client is closed, or has just been dropped for falling this far behind. */
    boolean offer(String event, String json) {
        if (!open.get()) {
            return false;
        }
        if (!outbox.offer(new Message(event, json))) {
            close();
            return false;
        }
        return true;
    }

    boolean isOpen() {
        return open.get();
    }

    void close() {
        if (open.compareAndSet(true, false)) {
            sender.interrupt();
            onClosed.run();
            try {
                connection.close();
            } catch (RuntimeException e) {
                // already completed by the container (the client went away): nothing left to close
            }
        }
    }

    private void sendAll() {
        try {
            while (open.get()) {
                Message message = outbox.take();
                connection.send(message.event(), message.json());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            close(); // the client went away
        }
    }
}
