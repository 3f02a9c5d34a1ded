package dev.providers.registry.publish;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;

/**
 * The wheel part of an upload as a {@code ReadStream}: the multipart parser pushes its bytes in, and pausing it
 * pauses the request, so the client's connection is what waits, not memory. Bytes that arrive while it is paused
 * (the rest of the network chunk being parsed, or the part's first bytes while the claim runs) wait in a queue
 * that holds at most one chunk, since the request is paused the moment anything is queued. A failure (the client
 * disconnecting) that comes while nobody listens yet is kept for the exception handler.
 */
final class WheelPart implements ReadStream<Buffer> {

    private final HttpServerRequest request;
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private boolean paused = true;
    private boolean ended;
    private boolean endDelivered;
    private Throwable failure;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;

    WheelPart(HttpServerRequest request) {
        this.request = request;
    }

    /** From the parser: the part's next bytes. */
    void data(Buffer data) {
        if (!paused && handler != null && queue.isEmpty()) {
            handler.handle(data);
        } else {
            queue.add(data);
            request.pause();
        }
    }

    /** From the parser: the part is complete. */
    void end() {
        ended = true;
        drain();
    }

    /** The request failed (the client went away, or the body is malformed) before the part ended. */
    void fail(Throwable cause) {
        if (ended || failure != null) {
            return;
        }
        failure = cause;
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
            h.handle(cause);
        }
    }

    private void drain() {
        while (!paused && handler != null && !queue.isEmpty()) {
            handler.handle(queue.poll());
        }
        if (!paused && queue.isEmpty() && ended && !endDelivered) {
            endDelivered = true;
            Handler<Void> h = endHandler;
            if (h != null) {
                h.handle(null);
            }
        }
    }

    @Override
    public WheelPart exceptionHandler(Handler<Throwable> h) {
        exceptionHandler = h;
        if (failure != null && h != null) {
            h.handle(failure);
        }
        return this;
    }

    @Override
    public WheelPart handler(Handler<Buffer> h) {
        handler = h;
        return this;
    }

    @Override
    public WheelPart pause() {
        paused = true;
        request.pause();
        return this;
    }

    @Override
    public WheelPart resume() {
        paused = false;
        drain();
        if (!paused) {
            request.resume(); // after the part's end too: the rest of the body (the closing boundary) is read
        }
        return this;
    }

    @Override
    public WheelPart fetch(long amount) {
        return resume();
    }

    @Override
    public WheelPart endHandler(Handler<Void> h) {
        endHandler = h;
        return this;
    }
}
