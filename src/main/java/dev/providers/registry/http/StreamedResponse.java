package dev.providers.registry.http;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Writes a body that a {@code Multi<Buffer>} streams (a wheel read from the store) to a response whose headers are
 * set, with backpressure end to end: one buffer is requested at a time, the next only once the connection took the
 * previous one (after the drain handler when its write queue was full), and the hop onto the request's context holds
 * at most two, so a download holds a few store buffers (chunks or S3 reads), whatever the client's speed. A client that
 * goes away cancels the read. Every signal is handled on the request's context.
 */
public final class StreamedResponse {

    private static final Logger LOG = Logger.getLogger(StreamedResponse.class);

    private StreamedResponse() {}

    /**
     * A copy of the body taken on the side as it is sent (a cache fill), told of every buffer and of how the body
     * ended, all on the request's context. It never holds the response back: a copy that cannot keep up gives up.
     * It gets the very buffers the response writes: {@code Buffer#getByteBuf} hands each writer its own
     * unreleasable view, so neither write can free or move the other's bytes.
     */
    public interface BodyCopy {
        void write(Buffer chunk);

        /** Every buffer of the body was handed to the response. */
        void complete();

        /** The body failed or the client went away; ignored once {@link #complete} was called. */
        void abandon();
    }

    public static final BodyCopy NO_COPY = new BodyCopy() {
        @Override
        public void write(Buffer chunk) {}

        @Override
        public void complete() {}

        @Override
        public void abandon() {}
    };

    /**
     * @param copy receives every buffer too ({@link #NO_COPY} for none)
     * @param failedBeforeBody called when the body fails before its first byte was written (the response is then
     *     still untouched and can carry a problem); a failure later resets the connection, since the status is sent
     */
    public static void send(
            HttpServerResponse response, Multi<Buffer> body, BodyCopy copy, Consumer<Throwable> failedBeforeBody) {
        Context context = Vertx.currentContext();
        // Two, not emitOn's default of 256: that many store buffers would be requested ahead of a slow client.
        Multi<Buffer> onContext =
                context == null ? body : body.emitOn(task -> context.runOnContext(v -> task.run()), 2);
        onContext.subscribe().withSubscriber(new MultiSubscriber<Buffer>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                response.closeHandler(v -> {
                    s.cancel();
                    copy.abandon();
                });
                s.request(1);
            }

            @Override
            public void onItem(Buffer chunk) {
                if (response.closed()) {
                    subscription.cancel();
                    copy.abandon();
                    return;
                }
                copy.write(chunk);
                response.write(chunk);
                if (response.writeQueueFull()) {
                    response.drainHandler(v -> subscription.request(1));
                } else {
                    subscription.request(1);
                }
            }

            @Override
            public void onFailure(Throwable failure) {
                copy.abandon();
                if (response.closed()) {
                    return;
                }
                if (!response.headWritten()) {
                    failedBeforeBody.accept(failure);
                } else {
                    LOG.warnf(
                            "a download failed after its first byte; resetting the connection: %s", failure.toString());
                    response.reset();
                }
            }

            @Override
            public void onCompletion() {
                copy.complete();
                if (!response.closed()) {
                    response.end();
                }
            }
        });
    }
}
