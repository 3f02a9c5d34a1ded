package dev.providers.registry.db.embedded;

import dev.providers.registry.db.EmbeddedPostgresLauncher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/** Zonky's embedded PostgreSQL 17: a real server process, started from binaries shipped in a Maven artifact. */
public class ZonkyEmbeddedPostgresLauncher implements EmbeddedPostgresLauncher {

    @Override
    public Running start(Path dataDir, boolean cleanDataDir) throws IOException {
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.toAbsolutePath())
                .setCleanDataDirectory(cleanDataDir)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setServerConfig("max_connections", "200")
                .start();
        return new Running() {
            @Override
            public int port() {
                return pg.getPort();
            }

            @Override
            public void close() {
                try {
                    pg.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
