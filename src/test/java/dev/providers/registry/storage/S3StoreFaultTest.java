package dev.providers.registry.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.CapturedLogs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 server dies mid-write (S3Proxy killed between two parts of a multipart upload): the write fails promptly
 * through its exception handler and its end (no hang, no ERROR logged), readiness goes DOWN; once the server is back,
 * an abort, a discard or the sweeper leave no object and no multipart part behind, and readiness is UP again.
 */
@QuarkusTest
@WithTestResource(value = S3ProxyServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class S3StoreFaultTest {

    /** The SDK's retries of a refused connection, with slack for a loaded machine. */
    static final Duration PROMPTLY = Duration.ofSeconds(30);

    @Inject
    WheelStore store;

    @Inject
    WheelBlobs blobs;

    @Inject
    Vertx vertx;

    @Inject
    Pool db;

    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.install();
    }

    @AfterEach
    void serverBackAndNoErrors() {
        S3ProxyServer server = S3ProxyServer.current();
        if (!server.answersNow()) {
            server.startServer();
        }
        logs.close();
        assertEquals(List.of(), logs.errors());
    }

    /**
     * Writes a part and a half (the first part uploads), kills S3Proxy once that part is complete on its disk, then
     * writes two parts more (one fails to upload, the other waits behind it). No part upload is cut in the middle:
     * S3Proxy cannot abort an upload whose part it was killed writing (the part's temporary file stays and
     * AbortMultipartUpload answers 400), which real S3 does not have, and which nothing could clean up.
     */
    private BlobWrite writeUntilTheServerDies(CompletableFuture<Throwable> reported) {
        int part = 5 * 1024 * 1024;
        BlobWrite write = store.create();
        blobs.stage(StorageKind.S3, write.key(), Instant.now().plus(Duration.ofHours(1)))
                .await()
                .atMost(PROMPTLY);
        CompletableFuture<Void> written = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            write.exceptionHandler(reported::complete);
            write.write(Buffer.buffer(Blobs.bytes(50, 0, part + part / 2)));
            written.complete(null);
        });
        Blobs.await(written, PROMPTLY);
        long until = System.nanoTime() + PROMPTLY.toNanos();
        while (completePartsOf(write.key()).isEmpty() && System.nanoTime() < until) {
            WheelStoreContractTestBase.sleep(20);
        }
        assertTrue(!completePartsOf(write.key()).isEmpty(), "the first part never reached the server");
        S3ProxyServer.current().stopServer();
        CompletableFuture<Void> more = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            write.write(Buffer.buffer(Blobs.bytes(50, part + part / 2, 2 * part)));
            more.complete(null);
        });
        Blobs.await(more, PROMPTLY);
        return write;
    }

    /** The parts of {@code key}'s multipart upload that S3Proxy holds complete (not its temporary files). */
    private List<Path> completePartsOf(String key) {
        String id = key.substring(key.lastIndexOf('/') + 1);
        return filesOf(key).stream()
                .filter(p -> p.toString().contains("/.mpus-")
                        && p.getFileName().toString().matches(Pattern.quote(id) + "-[0-9]+"))
                .toList();
    }

    private List<Path> filesOf(String key) {
        String id = key.substring(key.lastIndexOf('/') + 1);
        return S3ProxyServer.current().files().stream()
                .filter(p -> p.toString().contains(id))
                .toList();
    }

    private List<String> uploadsOf(String key) {
        try (var client = S3ProxyServer.current().client()) {
            return client
                    .listMultipartUploads(r -> r.bucket(S3ProxyServer.BUCKET).prefix(key))
                    .join()
                    .uploads()
                    .stream()
                    .map(u -> u.uploadId())
                    .sorted()
                    .toList();
        }
    }

    /** Waits (up to 20 s) until the server's multipart uploads of {@code key} were the same for 2 s. */
    private void awaitUploadsSettled(String key) {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> seen = uploadsOf(key);
        long stableSince = System.nanoTime();
        while (System.nanoTime() < until
                && System.nanoTime() - stableSince < Duration.ofSeconds(2).toNanos()) {
            WheelStoreContractTestBase.sleep(200);
            List<String> now = uploadsOf(key);
            if (!now.equals(seen)) {
                seen = now;
                stableSince = System.nanoTime();
            }
        }
    }

    private void assertNoUploadsOf(String key) {
        try (var client = S3ProxyServer.current().client()) {
            var uploads = client.listMultipartUploads(
                            r -> r.bucket(S3ProxyServer.BUCKET).prefix(key))
                    .join()
                    .uploads();
            assertEquals(List.of(), uploads, "unfinished multipart uploads of " + key);
            var objects = client.listObjectsV2(
                            r -> r.bucket(S3ProxyServer.BUCKET).prefix(key))
                    .join()
                    .contents();
            assertEquals(List.of(), objects, "objects of " + key);
        }
        // On disk: no object and no part. S3Proxy's own ".mpus-" stub of a CreateMultipartUpload that the kill cut
        // off can stay behind with no upload listed for it (S3Proxy's bookkeeping, not an S3 object or upload).
        assertEquals(
                List.of(),
                filesOf(key).stream()
                        .filter(p -> !p.toString().contains("/.mpus-"))
                        .toList(),
                "files of " + key + " in the bucket");
    }

    @Test
    void aServerThatDiesMidWriteFailsTheWriteAndAnAbortAfterItLeavesNothing() {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        BlobWrite write = writeUntilTheServerDies(reported);

        Throwable failure = Blobs.await(reported, PROMPTLY);
        assertTrue(failure != null, "no failure reported");
        Throwable ended = assertThrows(
                Throwable.class,
                () -> Blobs.await(write.end().toCompletionStage().toCompletableFuture(), PROMPTLY));
        assertTrue(
                ended.toString().contains("Unable to execute HTTP request") || ended instanceof RuntimeException,
                ended.toString());
        given().get("/q/health/ready").then().statusCode(503).body("checks.status", hasItem("DOWN"));

        // The store is still down: the abort fails (promptly), and is tried again by the next one.
        assertThrows(Throwable.class, () -> write.abort().await().atMost(PROMPTLY));

        S3ProxyServer.current().startServer();
        awaitUploadsSettled(write.key());
        write.abort().await().atMost(PROMPTLY);
        assertNoUploadsOf(write.key());
        blobs.discard(StorageKind.S3, write.key()).await().atMost(PROMPTLY);
        assertNull(state(write.key()));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aWriteLeftBehindByACrashIsSweptOnceItsLeaseLapsed() {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        BlobWrite write = writeUntilTheServerDies(reported);
        Blobs.await(reported, PROMPTLY);
        S3ProxyServer.current().startServer();
        // The instance "crashed": nobody aborts. The first part's upload is still open on the server. A request the
        // SDK was retrying when the server died may still land after the restart (a new multipart upload): the
        // crash is over once the server's uploads of the key stop changing, and only then does the lease lapse.
        awaitUploadsSettled(write.key());
        assertTrue(!filesOf(write.key()).isEmpty(), "the first part is no longer on the server");
        db.preparedQuery("UPDATE wheel_blobs SET lease_until = now() - interval '1 hour' WHERE key = $1")
                .executeAndAwait(Tuple.of(write.key()));

        blobs.sweep().await().atMost(PROMPTLY);

        assertNull(state(write.key()));
        assertNoUploadsOf(write.key());
    }

    private String state(String key) {
        var rows =
                db.preparedQuery("SELECT state FROM wheel_blobs WHERE key = $1").executeAndAwait(Tuple.of(key));
        return rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null;
    }
}
