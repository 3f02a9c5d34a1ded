package dev.providers.registry.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.jboss.logging.Logger;

/**
 * The one embedded PostgreSQL server of this JVM, started lazily the first time a datasource URL is read.
 *
 * <p>Dev-mode live reload loads the application again in a new class loader, so the server is found through a
 * JVM-wide system property ({@code embedded-postgres.port:<data dir>}, outside the validated {@code registry.*} namespace) and adopted instead of started twice.
 * It stops with the application ({@link EmbeddedDatabaseLifecycle}) outside dev mode; in dev mode it outlives
 * reloads and stops when the JVM exits, after the application has shut down.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String APPLICATION_RUNNING = "embedded-postgres.application-running";

    private static EmbeddedPostgresLauncher.Running running;
    private static String portProperty;

    private EmbeddedDatabase() {}

    static synchronized EmbeddedPostgresLauncher.Running ensureStarted(Path dataDir, boolean clean) {
        if (running != null) {
            return running;
        }
        String key = "embedded-postgres.port:" + dataDir.toAbsolutePath().normalize();
        String adoptedPort = System.getProperty(key);
        if (adoptedPort != null && listening(Integer.parseInt(adoptedPort))) {
            running = new Adopted(Integer.parseInt(adoptedPort));
            return running;
        }
        EmbeddedPostgresLauncher launcher = ServiceLoader.load(
                        EmbeddedPostgresLauncher.class, EmbeddedDatabase.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "No database configured and this build has no embedded PostgreSQL (native builds never do): "
                                + "set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL"));
        try {
            Files.createDirectories(dataDir.toAbsolutePath().getParent());
            long started = System.nanoTime();
            EmbeddedPostgresLauncher.Running server = launcher.start(dataDir, clean);
            running = server;
            portProperty = key;
            System.setProperty(key, Integer.toString(server.port()));
            LOG.infof(
                    "Embedded PostgreSQL started on 127.0.0.1:%d (data in %s) in %d ms",
                    server.port(), dataDir, (System.nanoTime() - started) / 1_000_000);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> stopAfterApplication(server, key), "embedded-postgres-stop"));
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Embedded PostgreSQL failed to start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server this class loader started (an adopted one belongs to the class loader that started it). */
    public static synchronized void stop() {
        if (running != null && !(running instanceof Adopted)) {
            running.close();
            System.clearProperty(portProperty);
            LOG.info("Embedded PostgreSQL stopped");
        }
        running = null;
    }

    /** At JVM exit: let the application finish its shutdown (in-flight requests) before the database goes. */
    private static void stopAfterApplication(EmbeddedPostgresLauncher.Running server, String key) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (Boolean.getBoolean(APPLICATION_RUNNING) && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (System.getProperty(key) != null) {
            server.close();
            System.clearProperty(key);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private record Adopted(int port) implements EmbeddedPostgresLauncher.Running {
        @Override
        public void close() {}
    }
}
