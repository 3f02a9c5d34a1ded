package dev.providers.registry.storage;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

/** TEMPORARY placeholder (removed before merging the store branch): no store in this build. */
@ApplicationScoped
public class PlaceholderWheelStore implements WheelStore {

    @Override
    public StorageKind kind() {
        return StorageKind.POSTGRES;
    }

    @Override
    public BlobWrite create() {
        throw new IllegalStateException("no wheel store in this build");
    }

    @Override
    public Multi<Buffer> read(String key, long offset, long length) {
        return Multi.createFrom().failure(new IllegalStateException("no wheel store in this build"));
    }

    @Override
    public Uni<Void> delete(String key) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> check() {
        return Uni.createFrom().voidItem();
    }
}
