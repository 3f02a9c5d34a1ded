package dev.providers.registry.storage;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * One blob being written: a {@code WriteStream<Buffer>} with backpressure ({@link #writeQueueFull} while the
 * store is behind; the drain handler when it caught up), so an upload pipe pauses its source instead of buffering.
 * The bytes are durable once {@link #end()} has succeeded; {@link #abort} removes what was written. A write reports
 * what goes wrong, an {@link Error} included, through its future and the exception handler; it does not throw.
 */
public interface BlobWrite extends WriteStream<Buffer> {

    /** The key the blob is written under, known before the first byte. */
    String key();

    /** Bytes accepted so far. */
    long size();

    /** Stops the write and deletes what it wrote (idempotent; also after a failed or completed end). */
    Uni<Void> abort();
}
