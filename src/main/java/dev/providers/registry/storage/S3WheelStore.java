package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/** Placeholder until the S3 store lands (next commit). */
final class S3WheelStore implements WheelStore {

    S3WheelStore(RegistryConfig.Storage config, Vertx vertx) {
        throw new IllegalStateException("registry.storage.kind=s3 is not available yet");
    }

    @Override
    public StorageKind kind() {
        return StorageKind.S3;
    }

    @Override
    public BlobWrite create() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Multi<Buffer> read(String key, long offset, long length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<Void> delete(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Uni<Void> check() {
        throw new UnsupportedOperationException();
    }
}
