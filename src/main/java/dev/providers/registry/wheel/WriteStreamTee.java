package dev.providers.registry.wheel;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.function.Function;

/**
 * One body into two sinks (an upload into its {@link WheelDigester} and the wheel store's blob; a download could
 * tee the same way): every chunk goes to both, in order, and the same buffer object to each (neither copies nor
 * modifies it). Backpressure is the slower sink's: {@link #writeQueueFull} while either is full, and the drain
 * handler runs only once neither is. A write fails when either sink refused it; the first failure is kept and
 * every later write fails with it.
 *
 * <p>{@link #end} ends neither sink: the caller ends each one when it is ready to (an upload checks the digest
 * before it makes the blob durable).
 */
public final class WriteStreamTee implements WriteStream<Buffer> {

    private final WriteStream<Buffer> first;
    private final WriteStream<Buffer> second;
    private final Function<Throwable, Throwable> secondFailures;
    private Throwable failure;
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;

    public WriteStreamTee(WriteStream<Buffer> first, WriteStream<Buffer> second) {
        this(first, second, Function.identity());
    }

    /**
     * @param secondFailures what a failure of the second sink is reported as (e.g. tagged with where it came from, so
     *     that it is told apart from the first sink's)
     */
    public WriteStreamTee(
            WriteStream<Buffer> first, WriteStream<Buffer> second, Function<Throwable, Throwable> secondFailures) {
        this.first = first;
        this.second = second;
        this.secondFailures = secondFailures;
        first.drainHandler(v -> drained());
        second.drainHandler(v -> drained());
        first.exceptionHandler(this::failed);
        second.exceptionHandler(cause -> failed(secondFailures.apply(cause)));
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (failure != null) {
            return Future.failedFuture(failure);
        }
        Future<Void> a = written(first, data);
        if (a.failed()) { // refused at once (the digester's checks): do not hand the chunk to the store
            failed(a.cause());
            return Future.failedFuture(failure);
        }
        Future<Void> b = written(second, data).recover(cause -> Future.failedFuture(secondFailures.apply(cause)));
        return Future.all(a, b).<Void>mapEmpty().onFailure(this::failed).recover(f -> Future.failedFuture(failure));
    }

    /** A sink's write; what it throws (an {@link Error} too, such as running out of memory) as its failure. */
    private static Future<Void> written(WriteStream<Buffer> sink, Buffer data) {
        try {
            return sink.write(data);
        } catch (Throwable e) {
            return Future.failedFuture(e);
        }
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        Future<Void> written = write(data);
        if (handler != null) {
            written.onComplete(handler);
        }
    }

    /** The first failure of either sink, or null. */
    public Throwable failure() {
        return failure;
    }

    private void failed(Throwable cause) {
        if (failure == null) {
            failure = cause;
            Handler<Throwable> handler = exceptionHandler;
            if (handler != null) {
                handler.handle(cause);
            }
        }
    }

    private void drained() {
        if (!writeQueueFull()) {
            Handler<Void> handler = drainHandler;
            if (handler != null) {
                handler.handle(null);
            }
        }
    }

    @Override
    public boolean writeQueueFull() {
        return first.writeQueueFull() || second.writeQueueFull();
    }

    @Override
    public WriteStreamTee drainHandler(Handler<Void> handler) {
        drainHandler = handler;
        return this;
    }

    @Override
    public WriteStreamTee exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
    }

    @Override
    public WriteStreamTee setWriteQueueMaxSize(int maxSize) {
        first.setWriteQueueMaxSize(maxSize);
        second.setWriteQueueMaxSize(maxSize);
        return this;
    }

    /** Ends neither sink (see the class comment): completes at once, or fails with the first failure. */
    @Override
    public Future<Void> end() {
        return failure == null ? Future.succeededFuture() : Future.failedFuture(failure);
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        Promise<Void> promise = Promise.promise();
        end().onComplete(promise);
        if (handler != null) {
            promise.future().onComplete(handler);
        }
    }
}
