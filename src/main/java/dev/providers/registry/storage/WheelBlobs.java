package dev.providers.registry.storage;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * TEMPORARY placeholder of the store branch's bookkeeping (removed before merging it): the agreed contract, every
 * call failing, so that the upload route builds and its paths that store no byte can be tested.
 */
@ApplicationScoped
public class WheelBlobs {

    public Uni<Void> stage(StorageKind backend, String key, Instant leaseUntil) {
        return unavailable();
    }

    public Uni<StoredBlob> promote(StorageKind backend, String stagedKey, String sha256, long size) {
        return unavailable();
    }

    public Uni<Void> discard(StorageKind backend, String key) {
        return unavailable();
    }

    public Uni<StoredBlob> findStored(String sha256) {
        return unavailable();
    }

    private static <T> Uni<T> unavailable() {
        return Uni.createFrom().failure(new IllegalStateException("no wheel store in this build"));
    }
}
