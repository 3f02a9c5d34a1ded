package dev.providers.registry.it;

import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the packaged application needs to run the integration tests: its configuration (passed to the launched jar or
 * native executable as system properties) and the HTTPS wheel server on 127.0.0.1, started here in the test JVM.
 * <p>
 * The packaged artifact has no test resolver seam, so wheel URLs are IP literals ({@code https://127.0.0.1:PORT/...},
 * the test certificate names {@code IP:127.0.0.1}). Without {@code QUARKUS_DATASOURCE_*} in the environment the
 * application starts its embedded PostgreSQL (JVM builds; a native run needs a configured database).
 */
public class PackagedAppResource implements QuarkusTestResourceLifecycleManager {

    static final Path EMBEDDED_DATA = Path.of("target", "it-postgres");

    @Override
    public Map<String, String> start() {
        TestServers.wheels();
        deleteRecursively(EMBEDDED_DATA);
        return Map.ofEntries(
                Map.entry("registry.embedded-db.enabled", "true"),
                Map.entry("registry.embedded-db.data-dir", EMBEDDED_DATA.toAbsolutePath().toString()),
                Map.entry("registry.fetch.allow", "127.0.0.1/32"),
                Map.entry("registry.fetch.extra-ca-certs", resource("tls/test-ca.pem")),
                Map.entry("registry.fetch.deadline", "20s"),
                Map.entry("registry.runtime.bootstrap-version", "1.0.0"),
                Map.entry("registry.runtime.bootstrap-image", "ghcr.io/example/provider-runtime:1.0.0"),
                Map.entry("mp.jwt.verify.issuer", TestTokens.ISSUER),
                Map.entry("mp.jwt.verify.publickey.location", "file:" + resource("jwt/test-public.pem")));
    }

    @Override
    public void stop() {
        // The wheel server stops with the test JVM; the embedded database stops with the application.
    }

    private static String resource(String name) {
        return Path.of("src", "test", "resources").resolve(name).toAbsolutePath().toString();
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
