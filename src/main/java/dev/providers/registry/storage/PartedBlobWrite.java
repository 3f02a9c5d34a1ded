package dev.providers.registry.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The backpressure and the state of a {@link BlobWrite} that stores its blob in parts of a fixed size, one part at a
 * time (PostgreSQL chunks, S3 multipart parts). At most one part is being stored while the next one fills:
 * {@link #writeQueueFull} is true while a part is in flight and the next one is already full, so at most about two
 * parts are in memory; the drain handler runs when the part in flight is stored. A part is held in reused blocks
 * ({@link BlobPart}, {@link PartBlocks}), given back once it is stored or dropped. A failure of the store, including an
 * {@link Error} such as running out of memory, is reported to the exception handler (a writer waiting for a drain
 * never hangs), fails every later write and {@link #end()}.
 * <p>
 * Thread-safe: the methods may be called from any thread and the store's completions arrive on theirs; the
 * handlers (drain, exception) run on the Vert.x context the write was created on.
 */
abstract class PartedBlobWrite implements BlobWrite {

    private final Context context;
    private final String key;
    private final int partSize;
    private final PartBlocks blocks;
    private final ArrayDeque<BlobPart> fullParts = new ArrayDeque<>();
    private BlobPart.Builder current;
    private long size;
    private int nextPart;
    private boolean storing;
    private boolean ending;
    private boolean completing;
    private Throwable failure;
    private Promise<Void> ended;
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;
    private CompletableFuture<Void> removed;

    protected PartedBlobWrite(Context context, String key, int partSize) {
        this(context, key, partSize, PartBlocks.SHARED);
    }

    PartedBlobWrite(Context context, String key, int partSize, PartBlocks blocks) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("part size must be positive: " + partSize);
        }
        this.context = context;
        this.key = key;
        this.partSize = partSize;
        this.blocks = blocks;
    }

    /**
     * Stores full part number {@code part} (0-based, in order, one at a time). The part's blocks are reused once the
     * returned operation has completed: nothing may read them after that.
     */
    protected abstract Uni<Void> storePart(int part, BlobPart bytes);

    /**
     * Makes the blob durable: {@code parts} full parts were stored, {@code last} holds the bytes after them (shorter
     * than a part, possibly empty).
     */
    protected abstract Uni<Void> complete(int parts, BlobPart last);

    /** Deletes everything this write stored (called once nothing of it is in flight any more). */
    protected abstract Uni<Void> remove();

    @Override
    public final String key() {
        return key;
    }

    @Override
    public final synchronized long size() {
        return size;
    }

    @Override
    public final synchronized BlobWrite exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public final BlobWrite drainHandler(Handler<Void> handler) {
        synchronized (this) {
            this.drainHandler = handler;
            if (handler == null || writeQueueFull()) {
                return this;
            }
        }
        // Set after the queue drained already: tell the writer now instead of never.
        context.runOnContext(v -> handler.handle(null));
        return this;
    }

    /** The memory bound is the part size: a write queue size is not used. */
    @Override
    public final BlobWrite setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public final synchronized boolean writeQueueFull() {
        return failure == null && storing && !fullParts.isEmpty();
    }

    /**
     * Copies {@code data} into the part being filled.
     * Fails, and fails the write, with anything thrown meanwhile (an {@link OutOfMemoryError} included) rather than
     * throwing it at the caller, whose request would then never be answered.
     */
    @Override
    public final Future<Void> write(Buffer data) {
        try {
            synchronized (this) {
                if (failure != null) {
                    return Future.failedFuture(failure);
                }
                if (ending) {
                    return Future.failedFuture(new IllegalStateException("blob " + key + ": write after end"));
                }
                int at = 0;
                int length = data.length();
                while (at < length) {
                    if (current == null) {
                        current = new BlobPart.Builder(blocks, partSize);
                    }
                    int take = Math.min(current.room(), length - at);
                    current.add(data, at, take);
                    at += take;
                    if (current.room() == 0) {
                        fullParts.add(current.build());
                        current = null;
                    }
                }
                size += length;
                storeNext();
            }
            return Future.succeededFuture();
        } catch (Throwable e) {
            failed(e);
            return Future.failedFuture(e);
        }
    }

    @Override
    public final void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        Future<Void> result = write(data);
        if (handler != null) {
            result.onComplete(handler);
        }
    }

    @Override
    public final Future<Void> end() {
        synchronized (this) {
            if (ended != null) {
                return ended.future();
            }
            ended = Promise.promise();
            if (failure != null) {
                ended.fail(failure);
                return ended.future();
            }
            ending = true;
            completeIfStored();
            return ended.future();
        }
    }

    @Override
    public final void end(Handler<AsyncResult<Void>> handler) {
        Future<Void> result = end();
        if (handler != null) {
            result.onComplete(handler);
        }
    }

    @Override
    public final synchronized Uni<Void> abort() {
        if (failure == null) {
            failure = new BlobWriteAbortedException(key);
        }
        dropHeldParts();
        if (ended == null) {
            ended = Promise.promise();
            ended.fail(failure);
        } else if (!completing) {
            ended.tryFail(failure);
        }
        if (removed == null || removed.isCompletedExceptionally()) {
            // Once nothing is in flight, no part can land after the removal. A removal that failed (the store was
            // unreachable) is tried again by the next abort.
            CompletableFuture<Void> removal = new CompletableFuture<>();
            removed = removal;
            inFlight.handle((ok, error) -> null)
                    .thenRun(() -> Uni.createFrom()
                            .deferred(this::remove)
                            .subscribe()
                            .with(removal::complete, removal::completeExceptionally));
        }
        CompletableFuture<Void> removal = removed;
        return Uni.createFrom().completionStage(() -> removal);
    }

    /** Starts storing the next full part when none is in flight (under the lock). */
    private void storeNext() {
        if (storing || fullParts.isEmpty() || failure != null) {
            return;
        }
        storing = true;
        BlobPart part = fullParts.poll();
        int number = nextPart++;
        track(() -> storePart(number, part), part, this::partStored);
    }

    /** Once every full part is stored after end(): the last one and the completion (under the lock). */
    private void completeIfStored() {
        if (!ending || storing || !fullParts.isEmpty() || failure != null) {
            return;
        }
        storing = true;
        completing = true;
        BlobPart last = current == null ? BlobPart.empty(blocks) : current.build();
        current = null;
        int parts = nextPart;
        track(() -> complete(parts, last), last, this::completed);
    }

    /**
     * Runs one store operation on {@code part} (under the lock), and gives the part's blocks back once it completed.
     * Whatever it throws, synchronously or as its failure, fails the write; so does a failure of {@code onSuccess}.
     * {@link #inFlight} completes in every case, so that an abort's removal never waits forever.
     */
    private void track(Supplier<Uni<Void>> operation, BlobPart part, Runnable onSuccess) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight = done;
        Uni.createFrom()
                .deferred(() -> operation.get())
                .subscribe()
                .with(
                        ok -> {
                            try {
                                part.release();
                                onSuccess.run();
                            } catch (Throwable e) {
                                failed(e);
                            } finally {
                                done.complete(null);
                            }
                        },
                        error -> {
                            try {
                                part.release();
                                failed(error);
                            } finally {
                                done.complete(null);
                            }
                        });
    }

    /** The parts not handed to the store: their blocks back (under the lock). */
    private void dropHeldParts() {
        fullParts.forEach(BlobPart::release);
        fullParts.clear();
        if (current != null) {
            current.release();
            current = null;
        }
    }

    private void partStored() {
        Handler<Void> drain = null;
        synchronized (this) {
            boolean wasFull = writeQueueFull();
            storing = false;
            if (failure != null) {
                return;
            }
            storeNext();
            completeIfStored();
            if (wasFull && !writeQueueFull()) {
                drain = drainHandler;
            }
        }
        if (drain != null) {
            Handler<Void> handler = drain;
            context.runOnContext(v -> handler.handle(null));
        }
    }

    private void completed() {
        Promise<Void> promise;
        synchronized (this) {
            storing = false;
            promise = ended;
        }
        promise.tryComplete();
    }

    private void failed(Throwable error) {
        Handler<Throwable> handler;
        Promise<Void> promise;
        synchronized (this) {
            storing = false;
            if (failure == null) {
                failure = error;
            }
            dropHeldParts();
            handler = exceptionHandler;
            promise = ended;
        }
        if (promise != null) {
            promise.tryFail(error);
        }
        if (handler != null) {
            context.runOnContext(v -> handler.handle(error));
        }
    }
}
