package dev.providers.registry.reliability;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for the fault tests, behind a {@link DatabaseProxy}: a zonky embedded server on
 * a fixed port that the test can stop and start again (same port, same data), whatever database the rest of the
 * suite uses. Its configuration overrides win over {@code QUARKUS_DATASOURCE_*} environment variables, so the
 * machine's PostgreSQL is never touched by a fault. Used with {@code scope = RESTRICTED_TO_CLASS}.
 */
public class FaultyDatabase implements QuarkusTestResourceLifecycleManager {

    static final int PROXY_PORT = 19501;
    static final int SERVER_PORT = 19502;

    private static volatile FaultyDatabase current;

    private final Path dataDir = Path.of("target", "faulty-postgres").toAbsolutePath();
    private volatile EmbeddedPostgres server;
    private DatabaseProxy proxy;
    private final Map<String, String> extra = new HashMap<>();

    /** The running instance (the test and the resource share one class loader in Quarkus 3.33). */
    public static FaultyDatabase current() {
        if (current == null) {
            throw new IllegalStateException("FaultyDatabase is not started");
        }
        return current;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        deleteDataDir();
        startServer(true);
        proxy = new DatabaseProxy(PROXY_PORT, SERVER_PORT);
        current = this;
        Map<String, String> config = new HashMap<>(extra);
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + PROXY_PORT + "/postgres");
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + PROXY_PORT + "/postgres");
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        return config;
    }

    @Override
    public void stop() {
        current = null;
        if (proxy != null) {
            proxy.close();
        }
        stopServer();
    }

    public DatabaseProxy proxy() {
        return proxy;
    }

    /** Stops the PostgreSQL server (fast shutdown: sessions are terminated). */
    public synchronized void stopServer() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    /** Starts the server again on the same port with the same data. */
    public synchronized void startServer() {
        startServer(false);
    }

    private void startServer(boolean clean) {
        if (server != null) {
            return;
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(SERVER_PORT)
                    .setRegisterShutdownHook(true)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean serverRunning() {
        return server != null;
    }

    /** Runs a query straight on the server (not through the proxy); {@code ?}-free SQL, first column of each row. */
    public List<String> query(String sql) {
        EmbeddedPostgres s = server;
        if (s == null) {
            throw new IllegalStateException("the server is stopped");
        }
        return PostgresRows.firstColumn(s, sql);
    }

    private void deleteDataDir() {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dataDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
