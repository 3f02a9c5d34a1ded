package dev.providers.registry.upload;

import dev.providers.registry.reliability.DatabaseProxy;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database goes away in the middle of an upload to the PostgreSQL store (its connections closed, new ones
 * refused): the upload is answered 503 {@code database-unavailable} (never 500), and once the database is back and
 * the leases lapsed nothing is left: the version {@code failed}, no staged blob, no chunk that no blob names. Short
 * leases: upload deadline 4 s + margin 1 s, sweeps every second, database deadlines of a few seconds (generous enough for a loaded machine).
 */
@QuarkusTest
@WithTestResource(
        value = ProxiedDatabase.class,
        scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = {
            @ResourceArg(name = "registry.storage.upload-deadline", value = "4s"),
            @ResourceArg(name = "registry.publish.lease-margin", value = "1s"),
            @ResourceArg(name = "registry.publish.sweep-interval", value = "1s"),
            @ResourceArg(name = "registry.db.connect-timeout", value = "2s"),
            @ResourceArg(name = "registry.db.acquire-timeout", value = "4s"),
            @ResourceArg(name = "registry.db.operation-deadline", value = "6s"),
            @ResourceArg(name = "registry.db.health-timeout", value = "1s")
        })
class UploadDatabaseOutageTest extends UploadTestBase {

    @Test
    void theDatabaseDroppedMidUploadIs503AndLeavesNothingOnceItIsBack() throws Exception {
        DatabaseProxy proxy = ProxiedDatabase.current().proxy();
        assertOutageMidUploadIs503AndLeavesNothing(
                "dbdown",
                6 * 1024 * 1024,
                3 * 1024 * 1024,
                () -> proxy.mode(DatabaseProxy.Mode.REFUSE),
                () -> proxy.mode(DatabaseProxy.Mode.FORWARD),
                "database-unavailable",
                30);
    }

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
}
