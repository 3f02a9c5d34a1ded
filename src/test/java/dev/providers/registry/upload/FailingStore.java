package dev.providers.registry.upload;

import dev.providers.registry.storage.BlobWrite;
import dev.providers.registry.storage.StorageKind;
import dev.providers.registry.storage.WheelStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test seam in place of the active wheel store ({@code QuarkusMock}): the real store, except that the next blob it
 * creates fails in the way it was armed with, with an {@link Error} (what an upload never expects): its
 * {@code create} throws, or its write throws once {@link #AFTER} bytes went through, or the store reports the error
 * to its exception handler (as a store's completion on another thread would). Everything else, and every later blob,
 * goes to the real store, so that what the failed write stored must really be removed.
 */
final class FailingStore implements WheelStore {

    /** Bytes that reach the real store before the fault: a PostgreSQL chunk or more, part of an S3 part. */
    static final long AFTER = 1536 * 1024;

    enum Fault {
        CREATE_THROWS,
        WRITE_THROWS,
        STORE_REPORTS
    }

    private final WheelStore real;
    private final AtomicReference<Fault> armed = new AtomicReference<>();

    FailingStore(WheelStore real) {
        this.real = real;
    }

    FailingStore arm(Fault fault) {
        armed.set(fault);
        return this;
    }

    @Override
    public StorageKind kind() {
        return real.kind();
    }

    @Override
    public BlobWrite create() {
        Fault fault = armed.getAndSet(null);
        if (fault == Fault.CREATE_THROWS) {
            throw new NoClassDefFoundError("test: a store that cannot even start a blob");
        }
        BlobWrite write = real.create();
        return fault == null ? write : new Failing(write, fault);
    }

    @Override
    public Multi<Buffer> read(String key, long offset, long length) {
        return real.read(key, offset, length);
    }

    @Override
    public Uni<Void> delete(String key) {
        return real.delete(key);
    }

    @Override
    public Uni<Void> check() {
        return real.check();
    }

    /** The real write until {@link #AFTER} bytes, then the fault. */
    private static final class Failing implements BlobWrite {
        private final BlobWrite real;
        private final Fault fault;
        private Handler<Throwable> exceptionHandler;
        private long written;
        private boolean fired;

        Failing(BlobWrite real, Fault fault) {
            this.real = real;
            this.fault = fault;
        }

        @Override
        public Future<Void> write(Buffer data) {
            written += data.length();
            if (written > AFTER && !fired) {
                fired = true;
                if (fault == Fault.WRITE_THROWS) {
                    throw new OutOfMemoryError("test: Java heap space");
                }
                Handler<Throwable> handler = exceptionHandler;
                Vertx.currentContext()
                        .runOnContext(v -> handler.handle(new StackOverflowError("test: from the store")));
            }
            return real.write(data);
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            write(data).onComplete(handler);
        }

        @Override
        public String key() {
            return real.key();
        }

        @Override
        public long size() {
            return real.size();
        }

        @Override
        public Uni<Void> abort() {
            return real.abort();
        }

        @Override
        public BlobWrite exceptionHandler(Handler<Throwable> handler) {
            exceptionHandler = handler;
            real.exceptionHandler(handler);
            return this;
        }

        @Override
        public Future<Void> end() {
            return real.end();
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            real.end(handler);
        }

        @Override
        public BlobWrite setWriteQueueMaxSize(int maxSize) {
            real.setWriteQueueMaxSize(maxSize);
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return real.writeQueueFull();
        }

        @Override
        public BlobWrite drainHandler(Handler<Void> handler) {
            real.drainHandler(handler);
            return this;
        }
    }
}
