package dev.providers.registry.db;

import java.nio.file.Path;

/**
 * Starts a real PostgreSQL server inside this JVM's lifetime. The only implementation lives in the
 * {@code src/embedded} source folder, which JVM builds include and the native build leaves out, so a
 * native binary never carries the PostgreSQL binaries.
 */
public interface EmbeddedPostgresLauncher {

    Running start(Path dataDir, boolean cleanDataDir) throws Exception;

    interface Running extends AutoCloseable {
        int port();

        /** The database and superuser every server of this launcher has (zonky's initdb defaults). */
        default String database() {
            return "postgres";
        }

        default String username() {
            return "postgres";
        }

        @Override
        void close();
    }
}
