package dev.providers.registry.db;

import dev.providers.registry.config.RegistryConfig;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Creates the reactive pool with the timeouts Quarkus has no configuration key for: the TCP connect timeout of a
 * new connection ({@code registry.db.connect-timeout}) and the longest wait for a connection from the pool,
 * opening one included ({@code registry.db.acquire-timeout}). Without them a black-holed database holds every
 * request until the operating system gives up on the connection.
 */
@Singleton
public class BoundedPgPoolCreator implements PgPoolCreator {

    static final int OPENED_AT_START = 2;

    private final RegistryConfig config;
    private volatile List<PgConnectOptions> servers;

    public BoundedPgPoolCreator(RegistryConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("deprecation") // PgPool: Quarkus 3.33 casts the created pool to it
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions();
        pool.setConnectionTimeout(
                Math.toIntExact(Math.max(1, config.db().acquireTimeout().toMillis())));
        pool.setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        List<PgConnectOptions> servers = input.pgConnectOptionsList();
        int connect = Math.toIntExact(Math.max(1, config.db().connectTimeout().toMillis()));
        for (PgConnectOptions server : servers) {
            server.setConnectTimeout(connect);
        }
        this.servers = servers.stream().map(PgConnectOptions::new).toList();
        Pool created = PgPool.pool(input.vertx(), servers, pool);
        for (int i = 0; i < Math.min(OPENED_AT_START, pool.getMaxSize()); i++) {
            created.getConnection().onSuccess(SqlConnection::close);
        }
        return created;
    }

    /**
     * The servers the pool connects to, for a connection of its own outside the pool (the simple index's listening
     * connection); empty until the pool was created.
     */
    public List<PgConnectOptions> servers() {
        List<PgConnectOptions> known = servers;
        return known == null
                ? List.of()
                : known.stream().map(PgConnectOptions::new).toList();
    }
}
