package dev.providers.registry.db;

import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The one embedded PostgreSQL server of this application instance. Started lazily the first time a datasource
 * URL is read, stopped by {@link EmbeddedDatabaseLifecycle} on application shutdown (which dev-mode live reload also
 * fires, so a reload never leaves a second server behind), or by a JVM shutdown hook when start-up failed.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static EmbeddedPostgresLauncher.Running running;
    private static boolean stoppedWithApplication;

    private EmbeddedDatabase() {
    }

    static synchronized EmbeddedPostgresLauncher.Running ensureStarted(Path dataDir, boolean clean) {
        if (running != null) {
            return running;
        }
        EmbeddedPostgresLauncher launcher = ServiceLoader.load(EmbeddedPostgresLauncher.class,
                EmbeddedDatabase.class.getClassLoader()).findFirst().orElseThrow(() -> new IllegalStateException(
                "No database configured and this build has no embedded PostgreSQL (native builds never do): "
                        + "set QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL"));
        try {
            Files.createDirectories(dataDir.getParent() == null ? dataDir.toAbsolutePath().getParent() : dataDir.getParent());
            long started = System.nanoTime();
            running = launcher.start(dataDir, clean);
            LOG.infof("Embedded PostgreSQL started on 127.0.0.1:%d (data in %s) in %d ms", running.port(), dataDir,
                    (System.nanoTime() - started) / 1_000_000);
            // Normally the application's shutdown stops the server after in-flight requests are done; this hook only
            // covers a start-up that failed before the application existed.
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedDatabase::stopUnlessApplicationDoes,
                    "embedded-postgres-stop"));
            return running;
        } catch (Exception e) {
            throw new IllegalStateException("Embedded PostgreSQL failed to start in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    static synchronized void stoppedWithApplication() {
        stoppedWithApplication = true;
    }

    private static synchronized void stopUnlessApplicationDoes() {
        if (!stoppedWithApplication) {
            stop();
        }
    }

    public static synchronized boolean isRunning() {
        return running != null;
    }

    public static synchronized void stop() {
        if (running != null) {
            EmbeddedPostgresLauncher.Running r = running;
            running = null;
            r.close();
            LOG.info("Embedded PostgreSQL stopped");
        }
    }
}
