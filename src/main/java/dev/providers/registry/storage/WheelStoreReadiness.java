package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the active wheel store answers its {@link WheelStore#check()} within {@code registry.db.health-timeout}
 * (PostgreSQL: a query on wheel_chunks; S3: HeadBucket). Stateless, like the database check.
 */
@Readiness
@ApplicationScoped
public class WheelStoreReadiness implements AsyncHealthCheck {

    private final WheelStores stores;
    private final Duration timeout;

    public WheelStoreReadiness(WheelStores stores, RegistryConfig config) {
        this.stores = stores;
        this.timeout = config.db().healthTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        WheelStore store = stores.active();
        String name = "Wheel store (" + store.kind().column() + ")";
        long started = System.nanoTime();
        return Uni.createFrom()
                .deferred(store::check)
                .ifNoItem()
                .after(timeout)
                .failWith(() ->
                        new java.util.concurrent.TimeoutException("no answer within " + timeout.toMillis() + " ms"))
                .map(ok -> HealthCheckResponse.named(name)
                        .up()
                        .withData("millis", (System.nanoTime() - started) / 1_000_000)
                        .build())
                .onFailure()
                .recoverWithItem(failure -> HealthCheckResponse.named(name)
                        .down()
                        .withData("error", String.valueOf(failure.getMessage()))
                        .build());
    }
}
