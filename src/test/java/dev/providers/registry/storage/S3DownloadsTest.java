package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Settled;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 store's reads ({@link S3Downloads}) against S3Proxy behind a {@link CountingProxy}: what a reader that stops
 * asking leaves unread at S3, retries of connections lost before the answer, and the failures that are not retried.
 * The store contract ({@link S3WheelStoreTest}) covers the bytes themselves.
 */
class S3DownloadsTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int BIG = 64 * 1024 * 1024;
    static final int SMALL = 1000;

    static S3ProxyServer s3;
    static CountingProxy proxy;
    static Vertx vertx;
    static S3Downloads downloads;

    @BeforeAll
    static void start() throws Exception {
        s3 = new S3ProxyServer();
        s3.start();
        proxy = new CountingProxy(URI.create(s3.endpoint()).getPort());
        vertx = Vertx.vertx();
        downloads = new S3Downloads(vertx, presigner(S3ProxyServer.SECRET_KEY), S3ProxyServer.BUCKET);
        // S3Proxy does not know the SDK's newer default checksums on a plain-HTTP PutObject; the store sends none.
        try (S3AsyncClient client = S3AsyncClient.builder()
                .httpClient(NettyNioAsyncHttpClient.builder().build())
                .endpointOverride(URI.create(s3.endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build()) {
            client.putObject(r -> r.bucket(S3ProxyServer.BUCKET).key("big"), AsyncRequestBody.fromBytes(bytes(1, BIG)))
                    .join();
            client.putObject(
                            r -> r.bucket(S3ProxyServer.BUCKET).key("small"),
                            AsyncRequestBody.fromBytes(bytes(2, SMALL)))
                    .join();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        downloads.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        proxy.close();
        s3.stop();
    }

    static S3Presigner presigner(String secret) {
        return S3Presigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, secret)))
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .endpointOverride(URI.create(proxy.endpoint()))
                .build();
    }

    static byte[] bytes(long seed, int size) {
        return Blobs.bytes(seed, 0, size);
    }

    io.smallrye.mutiny.Multi<Buffer> read(String key, long offset, long length) {
        return downloads.read(vertx.getOrCreateContext(), key, offset, length);
    }

    @Test
    void aReaderThatStopsAskingStopsTheTransferFromS3() throws Exception {
        long before = proxy.toClients();
        AssertSubscriber<Buffer> reader = read("big", 0, BIG).subscribe().withSubscriber(AssertSubscriber.create(1));
        reader.awaitItems(1, WAIT);
        long pulled = Settled.value(() -> proxy.toClients() - before);
        // What the socket buffers (4-5 MiB here, by the kernel's autotuning) and Vert.x's paused queue (about 1 MiB)
        // hold, not the object: the rest waits at S3.
        assertTrue(pulled < BIG / 3, "a paused read pulled " + pulled + " bytes of " + BIG + " from S3");
        assertTrue(reader.getItems().get(0).length() <= S3Downloads.PIECE);

        reader.request(Long.MAX_VALUE).awaitCompletion(WAIT);
        MessageDigest digest = Blobs.sha256();
        long total = 0;
        for (Buffer piece : reader.getItems()) {
            digest.update(piece.getBytes());
            total += piece.length();
            assertTrue(piece.length() <= S3Downloads.PIECE, piece.length() + " bytes in one piece");
        }
        assertEquals(BIG, total);
        assertEquals(
                HexFormat.of().formatHex(Blobs.sha256().digest(bytes(1, BIG))),
                HexFormat.of().formatHex(digest.digest()));
    }

    @Test
    void aCancelledReadLeavesTheNextReadIntact() {
        AssertSubscriber<Buffer> reader = read("big", 0, BIG).subscribe().withSubscriber(AssertSubscriber.create(1));
        reader.awaitItems(1, WAIT);
        reader.cancel();
        assertArrayEquals(Blobs.bytes(1, 5_000_000, 100_000), Blobs.collect(read("big", 5_000_000, 100_000)));
        assertArrayEquals(bytes(2, SMALL), Blobs.collect(read("small", 0, SMALL)));
    }

    // Fresh clients (no pooled connection to reuse), so that every attempt is a connection the proxy sees.

    @Test
    void connectionsLostBeforeTheAnswerAreRetried() {
        try (S3Downloads fresh = new S3Downloads(vertx, presigner(S3ProxyServer.SECRET_KEY), S3ProxyServer.BUCKET)) {
            int accepted = proxy.accepted();
            proxy.closeNext(S3Downloads.ATTEMPTS - 1);
            assertArrayEquals(
                    Blobs.bytes(2, 10, 90), Blobs.collect(fresh.read(vertx.getOrCreateContext(), "small", 10, 90)));
            assertEquals(S3Downloads.ATTEMPTS, proxy.accepted() - accepted);
        }
    }

    @Test
    void aStoreThatKeepsDroppingTheConnectionFailsTheReadAfterItsAttempts() {
        try (S3Downloads fresh = new S3Downloads(vertx, presigner(S3ProxyServer.SECRET_KEY), S3ProxyServer.BUCKET)) {
            int accepted = proxy.accepted();
            proxy.closeNext(S3Downloads.ATTEMPTS);
            Throwable failure = assertThrows(
                    Throwable.class, () -> Blobs.collect(fresh.read(vertx.getOrCreateContext(), "small", 0, SMALL)));
            assertFalse(failure instanceof BlobMissingException, failure.toString());
            assertEquals(S3Downloads.ATTEMPTS, proxy.accepted() - accepted);
        } finally {
            proxy.closeNext(0);
        }
    }

    @Test
    void aRefusedSignatureFailsAtOnceAsAStoreFailure() {
        try (S3Downloads wrongKey = new S3Downloads(vertx, presigner("not-the-secret"), S3ProxyServer.BUCKET)) {
            int accepted = proxy.accepted();
            Throwable failure = assertThrows(
                    Throwable.class, () -> Blobs.collect(wrongKey.read(vertx.getOrCreateContext(), "small", 0, SMALL)));
            assertInstanceOf(S3Downloads.S3ReadException.class, failure, failure.toString());
            assertTrue(failure.getMessage().contains("403"), failure.getMessage());
            assertEquals(1, proxy.accepted() - accepted, "a 403 was retried");
        }
    }

    @Test
    void missingObjectsRangesPastTheEndAndShortObjectsAreMissingBlobs() {
        for (long[] range : new long[][] {{0, 10}, {2 * SMALL, 10}, {0, 2 * SMALL}}) {
            String key = range[0] == 0 && range[1] == 10 ? "no-such-key" : "small";
            Throwable failure = assertThrows(Throwable.class, () -> Blobs.collect(read(key, range[0], range[1])));
            assertInstanceOf(BlobMissingException.class, failure, key + " " + range[0] + "+" + range[1]);
        }
    }
}
