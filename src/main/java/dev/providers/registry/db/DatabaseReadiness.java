package dev.providers.registry.db;

import dev.providers.registry.config.RegistryConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: {@code SELECT 1} must answer within {@code registry.db.health-timeout}. Replaces Quarkus' built-in
 * reactive datasource check (disabled with {@code quarkus.datasource.health.enabled=false}), which blocks for up
 * to 20 s on a database that accepts connections and never answers. It is stateless: once the database answers
 * again the next probe is UP.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    static final String NAME = "Reactive PostgreSQL connection (SELECT 1)";

    private final Pool pool;
    private final Duration timeout;

    public DatabaseReadiness(Pool pool, RegistryConfig config) {
        this.pool = pool;
        this.timeout = config.db().healthTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        long started = System.nanoTime();
        // withConnection (the acquire path, as Hibernate Reactive uses) rather than pool.query(): the latter's
        // acquire-timeout timer is not cancelled when the connect fails, and fires later as an uncaught
        // "Result is already complete" (eclipse-vertx/vertx-sql-client#1706).
        return DatabaseDeadlines.bound(
                        pool.withConnection(
                                connection -> connection.query("SELECT 1").execute()),
                        timeout,
                        "readiness")
                .map(rows -> HealthCheckResponse.named(NAME)
                        .up()
                        .withData("millis", (System.nanoTime() - started) / 1_000_000)
                        .build())
                .onFailure()
                .recoverWithItem(failure -> HealthCheckResponse.named(NAME)
                        .down()
                        .withData("error", String.valueOf(failure.getMessage()))
                        .build());
    }
}
