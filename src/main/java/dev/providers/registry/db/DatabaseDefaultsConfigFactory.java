package dev.providers.registry.db;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource URLs when none is configured. In dev and test (and with
 * {@code registry.embedded-db.enabled=true}) they point at an embedded PostgreSQL that starts the first time a
 * URL is read, which is before Flyway and the reactive pool are created. Otherwise the first read fails with one
 * clear sentence instead of a connection error to a default host.
 */
public class DatabaseDefaultsConfigFactory implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, REACTIVE_URL) || isSet(context, JDBC_URL)) {
            return List.of();
        }
        List<String> profiles = context.getProfiles();
        boolean test = profiles.contains("test");
        ConfigValue enabled = context.getValue("registry.embedded-db.enabled");
        boolean embedded = enabled.getValue() != null
                ? Boolean.parseBoolean(enabled.getValue())
                : test || profiles.contains("dev");
        if (!embedded) {
            return List.of(new MissingDatabaseSource());
        }
        ConfigValue dir = context.getValue("registry.embedded-db.data-dir");
        Path dataDir = test
                ? Path.of("target", "embedded-postgres-test")
                : Path.of(
                        dir.getValue() != null
                                ? dir.getValue()
                                : profiles.contains("dev") ? "target/embedded-postgres" : "data/postgres");
        return List.of(new EmbeddedDatabaseSource(dataDir, test));
    }

    @Override
    public java.util.OptionalInt getPriority() {
        return java.util.OptionalInt.of(50);
    }

    private static boolean isSet(ConfigSourceContext context, String key) {
        String value = context.getValue(key).getValue();
        return value != null && !value.isBlank();
    }

    /** Low-ordinal source: anything configured anywhere else still wins. */
    abstract static class LazySource implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return Set.of(REACTIVE_URL, JDBC_URL, USERNAME, PASSWORD);
        }

        @Override
        public int getOrdinal() {
            return 50;
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of();
        }
    }

    static final class EmbeddedDatabaseSource extends LazySource {
        private final Path dataDir;
        private final boolean clean;

        EmbeddedDatabaseSource(Path dataDir, boolean clean) {
            this.dataDir = dataDir;
            this.clean = clean;
        }

        @Override
        public String getValue(String key) {
            if (!getPropertyNames().contains(key)) {
                return null;
            }
            EmbeddedPostgresLauncher.Running db = EmbeddedDatabase.ensureStarted(dataDir, clean);
            return switch (key) {
                case REACTIVE_URL -> "postgresql://127.0.0.1:" + db.port() + "/" + db.database();
                case JDBC_URL -> "jdbc:postgresql://127.0.0.1:" + db.port() + "/" + db.database();
                case USERNAME -> db.username();
                case PASSWORD -> "";
                default -> null;
            };
        }

        @Override
        public String getName() {
            return "embedded-postgres";
        }
    }

    static final class MissingDatabaseSource extends LazySource {
        @Override
        public Set<String> getPropertyNames() {
            return Set.of(REACTIVE_URL, JDBC_URL);
        }

        @Override
        public String getValue(String key) {
            // At build time (augmentation) nothing connects: only a running application needs a database.
            if (!getPropertyNames().contains(key) || ExecutionMode.current() == ExecutionMode.UNSET) {
                return null;
            }
            throw new IllegalStateException("No database configured: set QUARKUS_DATASOURCE_REACTIVE_URL, "
                    + "QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD, "
                    + "or registry.embedded-db.enabled=true for a local embedded PostgreSQL");
        }

        @Override
        public String getName() {
            return "missing-database";
        }
    }
}
