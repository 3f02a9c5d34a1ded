package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;

/**
 * The wheel stores of this instance: the active one ({@code registry.storage.kind}, the {@link WheelStore} bean that
 * new uploads write to) and, whatever the kind, the PostgreSQL one, which only needs the database: blobs stored
 * there before a switch to S3 stay readable. The S3 client exists only when the kind is {@code s3}.
 */
@Startup // a misconfigured store (e.g. an S3 part size below 5M) stops start-up, not the first upload
@ApplicationScoped
public class WheelStores {

    private final PostgresWheelStore postgres;
    private final WheelStore active;

    public WheelStores(PostgresWheelStore postgres, RegistryConfig config, Vertx vertx) {
        this.postgres = postgres;
        this.active = switch (config.storage().kind()) {
            case POSTGRES -> postgres;
            case S3 -> new S3WheelStore(config.storage(), vertx.getDelegate());
        };
    }

    /** The store new blobs are written to. */
    @Produces
    @ApplicationScoped
    WheelStore activeStore() {
        return active;
    }

    public WheelStore active() {
        return active;
    }

    /** The store that holds blobs of {@code backend}, if this instance can reach it. */
    public Optional<WheelStore> of(StorageKind backend) {
        if (backend == active.kind()) {
            return Optional.of(active);
        }
        return backend == StorageKind.POSTGRES ? Optional.of(postgres) : Optional.empty();
    }

    PostgresWheelStore postgres() {
        return postgres;
    }

    @PreDestroy
    void close() {
        if (active instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // Shutting down: nothing left to do with it.
            }
        }
    }
}
