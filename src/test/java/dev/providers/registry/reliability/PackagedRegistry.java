package dev.providers.registry.reliability;

import dev.providers.registry.support.PackagedArtifact;
import dev.providers.registry.support.TestTokens;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the packaged service (the fast-jar, or the native executable after {@code package -Dnative}: see
 * {@link PackagedArtifact}) as a real separate process on a loopback port, for the integration tests ({@code *IT},
 * run by {@code ./mvnw verify -DskipITs=false} after {@code package}). Its log goes to
 * {@code target/it-logs/<name>.log}.
 */
final class PackagedRegistry implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private PackagedRegistry(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts an instance on {@code port} against the database at {@code jdbcPort}, trusting {@code caPem} for wheel
     * servers on 127.0.0.1; {@code extra} are more {@code -Dkey=value} settings. Does not wait for readiness.
     */
    static PackagedRegistry start(String name, int port, int dbPort, Path caPem, Map<String, String> extra) {
        Path abs = Path.of("").toAbsolutePath();
        List<String> settings = new ArrayList<>(List.of(
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:" + dbPort + "/postgres",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres",
                "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.datasource.password=",
                "-Dquarkus.flyway.migrate-at-start=true",
                "-Dregistry.fetch.allow=127.0.0.1/32",
                "-Dregistry.fetch.extra-ca-certs=" + caPem.toAbsolutePath(),
                "-Dmp.jwt.verify.issuer=" + TestTokens.ISSUER,
                "-Dmp.jwt.verify.publickey.location=file:" + abs.resolve("src/test/resources/jwt/test-public.pem"),
                "-Dregistry.runtime.bootstrap-version=1.0.0",
                "-Dregistry.runtime.bootstrap-image=x"));
        extra.forEach((k, v) -> settings.add("-D" + k + "=" + v));
        List<String> command = PackagedArtifact.built().command("256m", settings);
        try {
            Path logs = Files.createDirectories(Path.of("target", "it-logs"));
            Path log = logs.resolve(name + ".log");
            // the QUARKUS_DATASOURCE_* of a CI step must not redirect an instance to another database
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("REGISTRY_"));
            return new PackagedRegistry(name, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /q/health/ready} answers 200 (at most {@code limit}). */
    PackagedRegistry awaitReady(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + limit + "; see " + log);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    }

    HttpResponse<String> post(String path, String token, String json) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    HttpResponse<String> delete(String path, String token) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Sends SIGTERM (what Kubernetes sends) without waiting. */
    void terminate() {
        process.destroy();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to exit; its exit code, or -1 when it did not exit within {@code limit}. */
    int awaitExit(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (awaitExit(Duration.ofSeconds(15)) == -1) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(5));
            }
        }
    }

    /** A token of organization {@code slug}, signed with the test key (no Quarkus in the IT's JVM). */
    static String token(String slug, String orgId) {
        try {
            PrivateKey key = KeyUtils.readPrivateKey("jwt/test-private.pem");
            return TestTokens.claims(slug, orgId).sign(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
