package dev.providers.registry.publish;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures of the PostgreSQL wheel store are the database's (503 database-unavailable). */
class StoreFailureClassesTest {

    @Test
    void aBrokenConnectionIsTheDatabases() {
        // A chunk's INSERT written to a connection the database dropped: what the pg client reports depends on when.
        assertTrue(UploadService.databaseLost(new IOException("Broken pipe")));
        assertTrue(UploadService.databaseLost(new CompletionException(new IOException("Connection reset by peer"))));
        assertTrue(UploadService.databaseLost(ClosedConnectionException.INSTANCE));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(UploadService.databaseLost(new IllegalStateException("a bug")));
        assertFalse(UploadService.databaseLost(new OutOfMemoryError("test: Java heap space")));
    }
}
