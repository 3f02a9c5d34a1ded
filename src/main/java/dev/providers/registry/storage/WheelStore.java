package dev.providers.registry.storage;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Where hosted wheels' bytes live: one implementation per {@code registry.storage.kind} ({@link StorageKind}). A
 * store knows keys and bytes only; which blob holds which digest, and whether anything refers to it, is
 * {@link WheelBlobs}' bookkeeping in the database.
 */
public interface WheelStore {

    StorageKind kind();

    /**
     * Starts a new blob under a fresh key. Nothing refers to it yet: the caller records it as staged (with a lease)
     * before the first byte, so that the sweeper can delete it if the upload never finishes.
     */
    BlobWrite create();

    /**
     * Streams {@code length} bytes of the blob from {@code offset}, in order, as the subscriber requests them (a
     * download's backpressure reaches the store: at most one chunk or part is read ahead).
     */
    Multi<Buffer> read(String key, long offset, long length);

    /** Deletes the blob and anything an unfinished write of it left (parts, chunks); succeeds if there is none. */
    Uni<Void> delete(String key);

    /** Readiness: the store answers (a cheap request, bounded in time). */
    Uni<Void> check();
}
