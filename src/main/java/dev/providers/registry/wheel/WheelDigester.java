package dev.providers.registry.wheel;

import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Where a wheel's bytes go, whatever carries them (a fetched response body, an upload's request body): a
 * {@code WriteStream<Buffer>} that hashes every chunk in order into the incremental SHA-256 and the zip tail window of
 * a {@link WheelStreamVerifier}, and refuses the chunk that takes the wheel over its size limit. Pipe a body into it;
 * once {@link #end} has completed, {@link #finish} inspects the wheel.
 *
 * <p>A body declared ({@link #expectLength}) larger than {@code offloadAbove} is hashed on the hashing pool, one
 * chunk at a time and in order ({@link HashingStage}), so that the event loop goes on reading the next chunks
 * meanwhile. Its backlog is bounded: {@link #writeQueueFull} is true while it is above the high-water mark, so a pipe
 * pauses its source, and the drain handler resumes it once half of it is hashed. A smaller body is hashed inline.
 *
 * <p>Driven from one Vert.x context (the one of its first write): every handler is called back on it.
 */
public final class WheelDigester implements WriteStream<Buffer> {

    /** Above this many bytes waiting for the hashing pool the writer is asked to pause. */
    static final long HIGH_WATER_BYTES = HashingStage.MAX_BACKLOG_BYTES;

    private final WheelStreamVerifier verifier;
    private final long maxBytes;
    private final long offloadAbove;
    private final Executor hashingPool;

    private long written;
    private boolean offload;
    private Context context;
    private HashingStage stage;
    private boolean full;
    private Throwable failure;
    private volatile boolean discarded;
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;
    private Handler<AsyncResult<Void>> pendingEnd;
    private Consumer<Buffer> hashed = chunk -> {};

    WheelDigester(WheelStreamVerifier verifier, long maxBytes, long offloadAbove, Executor hashingPool) {
        this.verifier = verifier;
        this.maxBytes = maxBytes;
        this.offloadAbove = offloadAbove;
        this.hashingPool = hashingPool;
    }

    /**
     * Hands each chunk, once hashed (its bytes read, the tail window's share copied), to {@code consumer}, on the
     * thread that hashed it; the digester keeps no reference to it afterwards. For a writer that gives its chunks'
     * memory back (a fetch: {@code WheelFetcher::giveBack}); a refused or discarded chunk is not handed on. Set before
     * the first write.
     */
    public WheelDigester afterHashing(Consumer<Buffer> consumer) {
        this.hashed = consumer;
        return this;
    }

    /**
     * The body's declared length (its {@code Content-Length}), before its first byte: sizes the tail window once and
     * decides whether the body is hashed on the pool. Without it the body is hashed inline.
     */
    public void expectLength(long length) {
        verifier.expectLength(length);
        offload = length > offloadAbove;
    }

    /**
     * An upper bound of the body's length (an upload's request {@code Content-Length}, which also counts the
     * multipart framing and the metadata part): decides only whether the body is hashed on the pool. The tail window
     * is not sized from it, since the wheel's own length is not known before its end.
     */
    public void expectAtMost(long length) {
        offload = length > offloadAbove;
    }

    @Override
    public Future<Void> write(Buffer data) {
        Throwable refused = accept(data);
        return refused == null ? Future.succeededFuture() : Future.failedFuture(refused);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        Throwable refused = accept(data);
        if (handler != null) {
            handler.handle(refused == null ? Future.succeededFuture() : Future.failedFuture(refused));
        }
    }

    /** @return why the chunk was refused, or null */
    private Throwable accept(Buffer data) {
        if (failure != null || discarded) {
            return failure != null ? failure : new IllegalStateException("the digester was discarded");
        }
        written += data.length();
        if (written > maxBytes) {
            return failed(new ProblemException(
                    ProblemType.WHEEL_TOO_LARGE, "the wheel exceeds the " + maxBytes + "-byte limit"));
        }
        if (offload && stage == null && Vertx.currentContext() != null) {
            context = Vertx.currentContext();
            stage = new HashingStage(hashingPool, context, this::hash, this::drained, this::failed);
        }
        if (stage == null) {
            try {
                hash(data);
            } catch (RuntimeException e) {
                return failed(e);
            }
        } else if (!stage.offer(data)) {
            full = true;
        }
        return null;
    }

    private void hash(Buffer chunk) {
        verifier.accept(chunk);
        hashed.accept(chunk);
    }

    /** The hashing backlog fell to half the high-water mark: the writer may go on. */
    private void drained() {
        full = false;
        Handler<Void> handler = drainHandler;
        if (handler != null) {
            handler.handle(null);
        }
    }

    private Throwable failed(Throwable cause) {
        if (failure == null) {
            failure = cause;
            if (stage != null) {
                stage.cancel();
            }
            Handler<Throwable> handler = exceptionHandler;
            if (handler != null) {
                handler.handle(cause);
            }
            if (full) { // a paused writer learns of the failure from its next write
                drained();
            }
            completeEnd();
        }
        return failure;
    }

    @Override
    public boolean writeQueueFull() {
        return full;
    }

    @Override
    public WheelDigester drainHandler(Handler<Void> handler) {
        drainHandler = handler;
        return this;
    }

    @Override
    public WheelDigester exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
    }

    /** The high-water mark is fixed ({@link #HIGH_WATER_BYTES}): a writer cannot raise the memory held per wheel. */
    @Override
    public WheelDigester setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    /** Completes once every byte written went through the digest (or fails with what stopped it). */
    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        pendingEnd = handler == null ? result -> {} : handler;
        if (failure == null && !discarded && stage != null) {
            stage.afterQueued(this::completeEnd);
        } else {
            completeEnd();
        }
    }

    @Override
    public Future<Void> end() {
        Promise<Void> promise = Promise.promise();
        end(promise);
        return promise.future();
    }

    private void completeEnd() {
        Handler<AsyncResult<Void>> handler = pendingEnd;
        if (handler != null) {
            pendingEnd = null;
            handler.handle(failure == null ? Future.succeededFuture() : Future.failedFuture(failure));
        }
    }

    /**
     * Drops what still waits for the hashing pool: the body will not be inspected (its transfer failed or was
     * abandoned). May be called from any thread.
     */
    public void discard() {
        discarded = true;
        HashingStage hashing = stage;
        if (hashing == null) {
            completeEnd();
        } else {
            hashing.cancel();
            context.runOnContext(v -> completeEnd());
        }
    }

    /** Bytes waiting for the hashing pool now; for tests and metrics. */
    long queuedBytes() {
        return stage == null ? 0 : stage.queuedBytes();
    }

    /**
     * Completes the digest and inspects the wheel; only after {@link #end} completed successfully.
     *
     * @see WheelStreamVerifier#finish
     */
    public WheelInspection finish(
            String expectedDistribution, String expectedPep440Version, String requestedPackageName)
            throws NotAWheelException, PackageNotInWheelException {
        return verifier.finish(expectedDistribution, expectedPep440Version, requestedPackageName);
    }
}
