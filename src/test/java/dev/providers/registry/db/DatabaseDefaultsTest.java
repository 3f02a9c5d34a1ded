package dev.providers.registry.db;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prod without any datasource URL: the first read of a URL fails with one sentence that says what to set. */
class DatabaseDefaultsTest {

    @Test
    void missingDatabaseFailsWithOneClearSentence() {
        var source = new DatabaseDefaultsConfigFactory.MissingDatabaseSource();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> source.getValue(DatabaseDefaultsConfigFactory.REACTIVE_URL));
        assertTrue(e.getMessage().startsWith("No database configured: set QUARKUS_DATASOURCE_REACTIVE_URL"), e.getMessage());
        assertTrue(e.getMessage().contains("registry.embedded-db.enabled=true"));
        assertNull(source.getValue("quarkus.http.port"), "other keys are not this source's business");
    }
}
