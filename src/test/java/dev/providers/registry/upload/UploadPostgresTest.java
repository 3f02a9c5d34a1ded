package dev.providers.registry.upload;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;

/** The upload contract on the default wheel store, PostgreSQL (the embedded database of the tests). */
@QuarkusTest
class UploadPostgresTest extends UploadContract {

    @Override
    protected List<String> orphanBytes() {
        List<String> keys = new ArrayList<>();
        pool.query("SELECT DISTINCT c.key FROM wheel_chunks c WHERE NOT EXISTS "
                        + "(SELECT 1 FROM wheel_blobs b WHERE b.backend = 'postgres' AND b.key = c.key)")
                .execute()
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .forEach(row -> keys.add(row.getString(0)));
        return keys;
    }

    @Override
    protected void removeStoredBytes(String sha) {
        long removed = pool.preparedQuery("DELETE FROM wheel_chunks WHERE key IN "
                        + "(SELECT key FROM wheel_blobs WHERE backend = 'postgres' AND sha256 = $1)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(sha))
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .rowCount();
        assertTrue(removed > 0, "no chunks of " + sha);
    }
}
