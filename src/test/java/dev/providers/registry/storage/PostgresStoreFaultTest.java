package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.db.DatabaseDeadlines;
import dev.providers.registry.reliability.DatabaseProxy;
import dev.providers.registry.support.CapturedLogs;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away mid-write: a PostgreSQL store whose pool reaches the test database through a
 * {@link DatabaseProxy} (the service's own pool is not touched) loses its connections between two chunks, or stops
 * getting answers. The write fails through its exception handler and its end, within the database operation deadline
 * (never a hang, nothing logged as an ERROR); once the database is back, an abort leaves no chunk.
 */
@QuarkusTest
class PostgresStoreFaultTest {

    @Inject
    WheelBlobs blobs;

    @Inject
    Pool db;

    @Inject
    Vertx vertx;

    @Inject
    RegistryConfig config;

    private DatabaseProxy proxy;
    private Pool proxied;
    private PostgresWheelStore store;
    private CapturedLogs logs;

    @BeforeEach
    void storeBehindAProxy() throws IOException {
        var settings = ConfigProvider.getConfig();
        PgConnectOptions options =
                PgConnectOptions.fromUri(settings.getValue("quarkus.datasource.reactive.url", String.class));
        settings.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        settings.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        proxy = new DatabaseProxy(port, options.getPort());
        options.setHost("127.0.0.1").setPort(port).setConnectTimeout(1000);
        proxied = Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(2)
                        .setConnectionTimeout(2)
                        .setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(options)
                .using(vertx.getDelegate())
                .build());
        store = new PostgresWheelStore(proxied, vertx, config);
        logs = CapturedLogs.install();
    }

    @AfterEach
    void close() {
        logs.close();
        proxied.closeAndAwait();
        proxy.close();
        assertEquals(List.of(), logs.errors());
    }

    private int chunk() {
        return (int) config.storage().postgres().chunkSize().asLongValue();
    }

    /** Writes two chunks (the first is stored), cuts the database, then writes two more. */
    private BlobWrite writeUntilTheDatabaseGoes(DatabaseProxy.Mode cut, CompletableFuture<Throwable> reported) {
        BlobWrite write = store.create();
        blobs.stage(StorageKind.POSTGRES, write.key(), Instant.now().plus(Duration.ofHours(1)))
                .await()
                .atMost(Duration.ofSeconds(20));
        CompletableFuture<Void> written = new CompletableFuture<>();
        vertx.runOnContext(() -> {
            write.exceptionHandler(reported::complete);
            write.write(Buffer.buffer(Blobs.bytes(60, 0, 2 * chunk())));
            written.complete(null);
        });
        Blobs.await(written, Duration.ofSeconds(20));
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (chunks(write.key()) == 0 && System.nanoTime() < until) {
            WheelStoreContractTestBase.sleep(10);
        }
        assertTrue(chunks(write.key()) > 0, "the first chunk was never stored");
        proxy.mode(cut);
        CompletableFuture<Void> more = new CompletableFuture<>();
        vertx.runOnContext(() -> {
            write.write(Buffer.buffer(Blobs.bytes(60, 2L * chunk(), 2 * chunk())));
            more.complete(null);
        });
        Blobs.await(more, Duration.ofSeconds(20));
        return write;
    }

    private long chunks(String key) {
        return db.preparedQuery("SELECT count(*) FROM wheel_chunks WHERE key = $1")
                .executeAndAwait(Tuple.of(key))
                .iterator()
                .next()
                .getLong(0);
    }

    private void assertFailsWithin(BlobWrite write, CompletableFuture<Throwable> reported, Duration bound) {
        long started = System.nanoTime();
        Throwable failure = Blobs.await(reported, bound.plusSeconds(10));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis <= bound.toMillis() + 5_000, "the failure took " + millis + " ms");
        assertTrue(failure != null);
        assertThrows(
                Throwable.class,
                () -> Blobs.await(write.end().toCompletionStage().toCompletableFuture(), Duration.ofSeconds(5)));
        assertThrows(
                Throwable.class,
                () -> Blobs.await(
                        write.write(Buffer.buffer("late")).toCompletionStage().toCompletableFuture(),
                        Duration.ofSeconds(5)));
    }

    @Test
    void aDatabaseThatGoesAwayMidWriteFailsTheWriteAndAnAbortAfterItLeavesNothing() {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        BlobWrite write = writeUntilTheDatabaseGoes(DatabaseProxy.Mode.REFUSE, reported);
        assertFailsWithin(write, reported, Duration.ofSeconds(5));

        // Still down: the abort fails, promptly; once the database is back, the next abort deletes every chunk.
        assertThrows(Throwable.class, () -> write.abort().await().atMost(Duration.ofSeconds(20)));
        proxy.mode(DatabaseProxy.Mode.FORWARD);
        write.abort().await().atMost(Duration.ofSeconds(20));
        assertEquals(0, chunks(write.key()));
        blobs.discard(StorageKind.POSTGRES, write.key()).await().atMost(Duration.ofSeconds(20));
    }

    @Test
    void aDatabaseThatStopsAnsweringMidWriteFailsTheWriteWithinTheDeadline() throws InterruptedException {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        BlobWrite write = writeUntilTheDatabaseGoes(DatabaseProxy.Mode.BLACK_HOLE, reported);
        assertFailsWithin(write, reported, config.db().operationDeadline());
        Throwable failure = reported.join();
        assertInstanceOf(DatabaseDeadlines.DatabaseTimeoutException.class, failure, failure.toString());

        // Back from the partition, the INSERT the proxy held reaches PostgreSQL and may land after the abort's
        // DELETE: a chunk no blob names, which is the sweeper's to delete once the staged blob is discarded.
        proxy.mode(DatabaseProxy.Mode.FORWARD);
        write.abort().await().atMost(Duration.ofSeconds(30));
        blobs.discard(StorageKind.POSTGRES, write.key()).await().atMost(Duration.ofSeconds(20));
        assertNoChunkAfterSweeps(write.key());
    }

    /**
     * Sweeps until no chunk of {@code key} is left in two checks half a second apart (10 s at most: a held statement
     * lands within milliseconds of the partition's end).
     */
    private void assertNoChunkAfterSweeps(String key) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int clean = 0;
        long left;
        do {
            Thread.sleep(500);
            blobs.sweep().await().atMost(Duration.ofSeconds(20));
            left = chunks(key);
            clean = left == 0 ? clean + 1 : 0;
        } while (clean < 2 && System.nanoTime() < until);
        assertEquals(0, left);
    }
}
