package dev.providers.registry.reliability;

import dev.providers.registry.support.TestWheelServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the integration tests run against, all on loopback and all their own: a zonky PostgreSQL on a fixed port,
 * a CA and a server certificate for IP 127.0.0.1 generated with openssl at run time (in {@code target/}), and an
 * HTTPS wheel server using it, so wheel URLs are {@code https://127.0.0.1:PORT/...}.
 */
final class ItEnvironment implements AutoCloseable {

    final EmbeddedPostgres db;
    final int dbPort;
    final Path caPem;
    final TestWheelServer wheels;

    ItEnvironment(String name, int dbPort) {
        this.dbPort = dbPort;
        Path dir = Path.of("target", "it-" + name).toAbsolutePath();
        delete(dir);
        try {
            Files.createDirectories(dir);
            this.caPem = generateCertificates(dir);
            this.db = EmbeddedPostgres.builder()
                    .setDataDirectory(dir.resolve("postgres"))
                    .setCleanDataDirectory(true)
                    .setPort(dbPort)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.wheels = TestWheelServer.startFromFiles("127.0.0.1", dir.resolve("server.pem"), dir.resolve("server.key"));
    }

    /** https://127.0.0.1:PORT/path */
    String wheelUrl(String path) {
        return "https://127.0.0.1:" + wheels.port() + path;
    }

    /** First column of every row of {@code sql} with {@code args}, as text. */
    List<String> query(String sql, Object... args) {
        return PostgresRows.firstColumn(db, sql, args);
    }

    @Override
    public void close() {
        wheels.close();
        try {
            db.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path generateCertificates(Path dir) {
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=registry IT CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server.key");
        openssl(dir, "req", "-new", "-key", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        try {
            Files.writeString(
                    dir.resolve("server.ext"),
                    "subjectAltName=IP:127.0.0.1\n"
                            + "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "server.ext");
        return dir.resolve("ca.pem");
    }

    private static void openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.log").toFile())
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
