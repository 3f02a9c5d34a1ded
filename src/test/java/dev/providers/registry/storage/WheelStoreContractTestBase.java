package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.config.RegistryConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What every wheel store promises, run against each real backend by a subclass (PostgreSQL: the test database;
 * S3: an S3Proxy process): bytes round-trip whole and by range, reads follow the subscriber's demand, writes push
 * back, abort and delete leave nothing, and the bookkeeping (stage, promote, discard, sweep) holds under
 * concurrency.
 */
abstract class WheelStoreContractTestBase {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    WheelStore store;

    @Inject
    WheelBlobs blobs;

    @Inject
    Vertx vertx;

    @Inject
    Pool db;

    @Inject
    RegistryConfig config;

    /** The store's part size: a PostgreSQL chunk or an S3 part. */
    abstract int partSize();

    abstract StorageKind expectedKind();

    /** Writes {@code size} bytes of {@code seed} as a staged blob (lease one hour ahead) and ends it. */
    Blobs.Written staged(long seed, long size) {
        return staged(seed, size, Instant.now().plus(Duration.ofHours(1)));
    }

    Blobs.Written staged(long seed, long size, Instant lease) {
        BlobWrite write = store.create();
        await(blobs.stage(store.kind(), write.key(), lease));
        return Blobs.await(Blobs.write(vertx, () -> write, seed, size, 64 * 1024, w -> {}), WAIT);
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    <T> T inTransaction(java.util.function.Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    String state(String key) {
        var rows = db.preparedQuery("SELECT state FROM wheel_blobs WHERE backend = $1 AND key = $2")
                .executeAndAwait(Tuple.of(store.kind().column(), key));
        return rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
    }

    void assertGone(String key) {
        Throwable failure = assertThrows(
                Throwable.class, () -> Blobs.collect(store.read(key, 0, 1)), "blob " + key + " can still be read");
        assertInstanceOf(BlobMissingException.class, failure, failure.toString());
    }

    @Test
    void theActiveStoreIsTheConfiguredOne() {
        assertEquals(expectedKind(), store.kind());
        assertEquals(expectedKind(), config.storage().kind());
        await(store.check());
    }

    @Test
    void bytesRoundTripWholeAndByRange() {
        int part = partSize();
        long size = 3L * part + part / 2 + 17;
        Blobs.Written written = staged(11, size);
        assertEquals(size, written.size());

        assertArrayEquals(Blobs.bytes(11, 0, (int) size), Blobs.collect(store.read(written.key(), 0, size)));
        long[][] ranges = {{0, 1}, {part - 1, 2}, {part, part}, {size - 1, 1}, {1000, 2L * part + 5}, {size - 100, 100}
        };
        for (long[] range : ranges) {
            assertArrayEquals(
                    Blobs.bytes(11, range[0], (int) range[1]),
                    Blobs.collect(store.read(written.key(), range[0], range[1])),
                    "range " + range[0] + "+" + range[1]);
        }
        assertEquals(0, Blobs.collect(store.read(written.key(), 5, 0)).length);
    }

    @Test
    void smallAndEmptyBlobs() {
        Blobs.Written small = staged(12, 100);
        assertArrayEquals(Blobs.bytes(12, 0, 100), Blobs.collect(store.read(small.key(), 0, 100)));
        Blobs.Written exact = staged(13, partSize());
        assertArrayEquals(Blobs.bytes(13, 0, partSize()), Blobs.collect(store.read(exact.key(), 0, partSize())));
        Blobs.Written empty = staged(14, 0);
        assertEquals(0, empty.size());
        assertEquals(0, Blobs.collect(store.read(empty.key(), 0, 0)).length);
    }

    @Test
    void readsFollowTheSubscribersDemand() {
        int part = partSize();
        Blobs.Written written = staged(15, 3L * part);
        AssertSubscriber<Buffer> subscriber =
                store.read(written.key(), 0, 3L * part).subscribe().withSubscriber(AssertSubscriber.create(1));
        subscriber.awaitItems(1, WAIT);
        // Nothing more arrives until asked for, and nothing arrives bigger than a part.
        sleep(300);
        assertEquals(1, subscriber.getItems().size());
        assertTrue(subscriber.getItems().get(0).length() <= part);
        subscriber.request(Long.MAX_VALUE).awaitCompletion(WAIT);
        long total = subscriber.getItems().stream().mapToLong(Buffer::length).sum();
        assertEquals(3L * part, total);
        assertTrue(subscriber.getItems().stream().allMatch(b -> b.length() <= part));
    }

    @Test
    void aWriteFasterThanTheStorePushesBack() {
        int part = partSize();
        BlobWrite write = store.create();
        await(blobs.stage(store.kind(), write.key(), Instant.now().plus(Duration.ofHours(1))));
        CompletableFuture<Boolean> fullAfterTwoParts = new CompletableFuture<>();
        CompletableFuture<Void> drained = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            // Two full parts in one go: the first is being stored, the second waits: the queue is full.
            write.write(Buffer.buffer(Blobs.bytes(16, 0, 2 * part)));
            boolean full = write.writeQueueFull();
            write.drainHandler(d -> drained.complete(null));
            fullAfterTwoParts.complete(full);
        });
        assertTrue(Blobs.await(fullAfterTwoParts, WAIT), "two full parts did not fill the write queue");
        Blobs.await(drained, WAIT);
        assertFalse(write.writeQueueFull());
        Blobs.await(write.end().toCompletionStage().toCompletableFuture(), WAIT);
        assertArrayEquals(Blobs.bytes(16, 0, 2 * part), Blobs.collect(store.read(write.key(), 0, 2L * part)));
    }

    @Test
    void aBigBlobStreamsThroughBothWays() {
        long size = 64L * 1024 * 1024 + 12345;
        Blobs.Written written = staged(17, size);
        assertTrue(written.pauses() > 0, "the writer was never asked to pause");
        String[] read = Blobs.hash(store.read(written.key(), 0, size), WAIT);
        assertEquals(Blobs.sha256(17, size), read[0]);
        assertEquals(Long.toString(size), read[1]);
    }

    @Test
    void abortAndDeleteLeaveNothing() {
        int part = partSize();
        // Aborted mid-write, after parts were stored.
        BlobWrite write = store.create();
        CompletableFuture<Void> twoParts = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            write.write(Buffer.buffer(Blobs.bytes(18, 0, part + part / 2)));
            twoParts.complete(null);
        });
        Blobs.await(twoParts, WAIT);
        await(write.abort());
        await(write.abort());
        assertGone(write.key());
        Throwable afterAbort = assertThrows(
                Throwable.class,
                () -> Blobs.await(
                        write.write(Buffer.buffer("x")).toCompletionStage().toCompletableFuture(), WAIT));
        assertInstanceOf(BlobWriteAbortedException.class, afterAbort, afterAbort.toString());

        // Aborted after it ended.
        BlobWrite ended = store.create();
        Blobs.await(Blobs.write(vertx, () -> ended, 19, part + 10, 64 * 1024, w -> {}), WAIT);
        assertArrayEquals(Blobs.bytes(19, 0, 10), Blobs.collect(store.read(ended.key(), 0, 10)));
        await(ended.abort());
        assertGone(ended.key());

        // Deleted after it ended; deleting again or an unknown key succeeds.
        Blobs.Written deleted = staged(19, 10);
        await(store.delete(deleted.key()));
        assertGone(deleted.key());
        await(store.delete(deleted.key()));
        await(store.delete("no-such-key-" + System.nanoTime()));
    }

    @Test
    void promoteStoresADigestOnceAndDiscardDropsTheDuplicate() {
        long size = partSize() + 3;
        String sha = Blobs.sha256(20, size) + "-" + System.nanoTime();
        Blobs.Written first = staged(20, size);
        Blobs.Written second = staged(20, size);

        StoredBlob stored = inTransaction(() -> blobs.promote(store.kind(), first.key(), sha, size));
        assertEquals(new StoredBlob(store.kind(), first.key(), sha, size, false), stored);
        StoredBlob redundant = inTransaction(() -> blobs.promote(store.kind(), second.key(), sha, size));
        assertEquals(new StoredBlob(store.kind(), first.key(), sha, size, true), redundant);
        assertEquals("stored", state(first.key()));
        assertEquals("staged", state(second.key()));

        await(blobs.discard(store.kind(), second.key()));
        assertNull(state(second.key()));
        assertGone(second.key());
        // A stored blob is never discarded.
        await(blobs.discard(store.kind(), first.key()));
        assertEquals("stored", state(first.key()));
        assertArrayEquals(Blobs.bytes(20, 0, 50), Blobs.collect(store.read(first.key(), 0, 50)));

        StoredBlob found = await(blobs.findStored(sha));
        assertEquals(new StoredBlob(store.kind(), first.key(), sha, size, false), found);
        assertNull(await(blobs.findStored("0".repeat(64))));
    }

    @Test
    void concurrentPromotesOfOneDigestStoreItOnce() throws Exception {
        String sha = "c0ffee" + System.nanoTime();
        Blobs.Written first = staged(21, 1000);
        Blobs.Written second = staged(21, 1000);
        // The first transaction promotes, then holds its transaction open for a second; the second promote starts
        // meanwhile and must wait for it, then see its blob (not fail on the unique index, not store a second one).
        CompletableFuture<StoredBlob> slow = CompletableFuture.supplyAsync(() -> inTransaction(() -> blobs.promote(
                        store.kind(), first.key(), sha, 1000)
                .call(() -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(1)))));
        sleep(300);
        long started = System.nanoTime();
        StoredBlob late = inTransaction(() -> blobs.promote(store.kind(), second.key(), sha, 1000));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        StoredBlob early = Blobs.await(slow, WAIT);

        assertFalse(early.redundant());
        assertTrue(late.redundant());
        assertEquals(first.key(), late.key());
        assertTrue(waitedMillis >= 400, "the second promote did not wait for the first (" + waitedMillis + " ms)");
        var stored = db.preparedQuery("SELECT count(*) FROM wheel_blobs WHERE sha256 = $1 AND state = 'stored'")
                .executeAndAwait(Tuple.of(sha));
        assertEquals(1L, stored.iterator().next().getLong(0));
    }

    @Test
    void aPromoteAfterTheLeaseLapsedFails() {
        Blobs.Written lapsed = staged(22, 10, Instant.now().minusSeconds(5));
        Throwable failure = assertThrows(
                Throwable.class,
                () -> inTransaction(() -> blobs.promote(store.kind(), lapsed.key(), "ab" + System.nanoTime(), 10)));
        assertInstanceOf(BlobLeaseLapsedException.class, failure, failure.toString());
        assertEquals("staged", state(lapsed.key()));
    }

    @Test
    void theSweeperDeletesStagedBlobsPastTheirLeaseAndNeverStoredOnes() {
        int part = partSize();
        Blobs.Written abandoned = staged(23, part + 5, Instant.now().minus(Duration.ofHours(1)));
        Blobs.Written running = staged(24, 10, Instant.now().plus(Duration.ofHours(1)));
        Blobs.Written kept = staged(25, 10);
        String sha = "feed" + System.nanoTime();
        inTransaction(() -> blobs.promote(store.kind(), kept.key(), sha, 10));
        db.preparedQuery("UPDATE wheel_blobs SET created_at = now() - interval '30 days' WHERE key = $1")
                .executeAndAwait(Tuple.of(kept.key()));

        await(blobs.sweep());

        assertNull(state(abandoned.key()));
        assertGone(abandoned.key());
        assertEquals("staged", state(running.key()));
        assertArrayEquals(Blobs.bytes(24, 0, 10), Blobs.collect(store.read(running.key(), 0, 10)));
        assertEquals("stored", state(kept.key()));
        assertArrayEquals(Blobs.bytes(25, 0, 10), Blobs.collect(store.read(kept.key(), 0, 10)));
        assertNotEquals(abandoned.key(), running.key());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
