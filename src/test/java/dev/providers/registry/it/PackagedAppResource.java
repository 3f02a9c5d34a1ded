package dev.providers.registry.it;

import dev.providers.registry.support.PackagedArtifact;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the packaged application needs to run the integration tests: its configuration (passed to the launched jar or
 * native executable as system properties) and the HTTPS wheel server on 127.0.0.1, started here in the test JVM.
 * <p>
 * The packaged artifact has no test resolver seam, so wheel URLs are IP literals ({@code https://127.0.0.1:PORT/...},
 * the test certificate names {@code IP:127.0.0.1}). Without {@code QUARKUS_DATASOURCE_*} in the environment the
 * jar starts its embedded PostgreSQL; the native executable has none, so for it this resource starts a PostgreSQL
 * server of its own (zonky's binaries from the test class path, as the reliability tests do) and passes its URL.
 */
public class PackagedAppResource implements QuarkusTestResourceLifecycleManager {

    static final Path EMBEDDED_DATA = Path.of("target", "it-postgres");

    private EmbeddedPostgres database;

    @Override
    public Map<String, String> start() {
        TestServers.wheels();
        deleteRecursively(EMBEDDED_DATA);
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("quarkus.flyway.migrate-at-start", "true"),
                Map.entry("registry.fetch.allow", "127.0.0.1/32"),
                Map.entry("registry.fetch.extra-ca-certs", resource("tls/test-ca.pem")),
                Map.entry("registry.fetch.deadline", "20s"),
                Map.entry("registry.runtime.bootstrap-version", "1.0.0"),
                Map.entry("registry.runtime.bootstrap-image", "ghcr.io/example/provider-runtime:1.0.0"),
                Map.entry("mp.jwt.verify.issuer", TestTokens.ISSUER),
                Map.entry("mp.jwt.verify.publickey.location", "file:" + resource("jwt/test-public.pem"))));
        if (System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL") != null) {
            return config; // the launched application reads the configured database from the same environment
        }
        if (!PackagedArtifact.built().nativeExecutable()) {
            config.put("registry.embedded-db.enabled", "true");
            config.put(
                    "registry.embedded-db.data-dir",
                    EMBEDDED_DATA.toAbsolutePath().toString());
            return config;
        }
        try {
            database = EmbeddedPostgres.builder()
                    .setDataDirectory(EMBEDDED_DATA)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = database.getPort();
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres");
        config.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        config.put("quarkus.datasource.username", "postgres");
        config.put("quarkus.datasource.password", "");
        return config;
    }

    @Override
    public void stop() {
        // The wheel server stops with the test JVM; the jar's embedded database stops with the application.
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String resource(String name) {
        return Path.of("src", "test", "resources")
                .resolve(name)
                .toAbsolutePath()
                .toString();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
