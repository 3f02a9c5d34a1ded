package dev.providers.registry.db;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.ExecutionModeManager;
import org.junit.jupiter.api.Test;

/** Prod without any datasource URL: the first read of a URL fails with one sentence that says what to set. */
class DatabaseDefaultsTest {

    @Test
    void missingDatabaseFailsAtRuntimeWithOneClearSentence() {
        var source = new DatabaseDefaultsConfigFactory.MissingDatabaseSource();
        ExecutionMode before = ExecutionMode.current();
        ExecutionModeManager.runtimeInit();
        try {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> source.getValue(DatabaseDefaultsConfigFactory.REACTIVE_URL));
            assertTrue(
                    e.getMessage().startsWith("No database configured: set QUARKUS_DATASOURCE_REACTIVE_URL"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("registry.embedded-db.enabled=true"));
            assertNull(source.getValue("quarkus.http.port"), "other keys are not this source's business");
        } finally {
            restore(before);
        }
    }

    @Test
    void theBuildNeedsNoDatabase() {
        var source = new DatabaseDefaultsConfigFactory.MissingDatabaseSource();
        ExecutionMode before = ExecutionMode.current();
        ExecutionModeManager.unset();
        try {
            assertNull(source.getValue(DatabaseDefaultsConfigFactory.REACTIVE_URL));
        } finally {
            restore(before);
        }
    }

    private static void restore(ExecutionMode mode) {
        switch (mode) {
            case STATIC_INIT -> ExecutionModeManager.staticInit();
            case RUNTIME_INIT -> ExecutionModeManager.runtimeInit();
            case RUNNING -> ExecutionModeManager.running();
            default -> ExecutionModeManager.unset();
        }
    }
}
