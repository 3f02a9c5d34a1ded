package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL (the default kind), and what only this backend has: chunk rows. */
@QuarkusTest
class PostgresWheelStoreTest extends WheelStoreContractTestBase {

    @Override
    int partSize() {
        return (int) config.storage().postgres().chunkSize().asLongValue();
    }

    @Override
    StorageKind expectedKind() {
        return StorageKind.POSTGRES;
    }

    long chunks(String key) {
        return db.preparedQuery("SELECT count(*) FROM wheel_chunks WHERE key = $1")
                .executeAndAwait(Tuple.of(key))
                .iterator()
                .next()
                .getLong(0);
    }

    @Test
    void aBlobIsOneRowPerChunk() {
        Blobs.Written written = staged(30, 2L * partSize() + 1);
        assertEquals(3, chunks(written.key()));
        await(store.delete(written.key()));
        assertEquals(0, chunks(written.key()));
    }

    @Test
    void theSweeperDeletesChunksThatNoBlobRowOwns() {
        String orphan = UUID.randomUUID().toString();
        for (int seq = 0; seq < 3; seq++) {
            db.preparedQuery("INSERT INTO wheel_chunks (key, seq, data) VALUES ($1, $2, $3)")
                    .executeAndAwait(Tuple.of(orphan, seq, Buffer.buffer(Blobs.bytes(31, seq * 10L, 10))));
        }
        Blobs.Written owned = staged(32, 10);
        assertEquals(3, chunks(orphan));

        WheelBlobs.Sweep swept = await(blobs.sweep());

        assertEquals(0, chunks(orphan));
        assertEquals(1, chunks(owned.key()));
        // Another run may have swept them first (the periodic sweeper runs too).
        assertTrue(swept.orphanChunks() == 3 || swept.orphanChunks() == 0, swept.toString());
    }
}
