package dev.providers.registry.upload;

import dev.providers.registry.reliability.DatabaseProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A PostgreSQL server of the test's own, reached by the service through a {@link DatabaseProxy} that the test can
 * turn to refusing connections (the database dropped), on free ports (so that it runs beside other fault tests),
 * with the init args as extra configuration. Used with {@code scope = RESTRICTED_TO_CLASS}.
 */
public class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {

    private static volatile ProxiedDatabase current;

    private final Map<String, String> extra = new HashMap<>();
    private EmbeddedPostgres server;
    private DatabaseProxy proxy;

    static ProxiedDatabase current() {
        return current;
    }

    DatabaseProxy proxy() {
        return proxy;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            Path data = Files.createTempDirectory("upload-faulty-postgres");
            int serverPort = freePort();
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setPort(serverPort)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
            proxy = new DatabaseProxy(freePort(), serverPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        current = this;
        Map<String, String> config = new HashMap<>(extra);
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/postgres");
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres");
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
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
