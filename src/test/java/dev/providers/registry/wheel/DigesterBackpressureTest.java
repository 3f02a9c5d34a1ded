package dev.providers.registry.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.fetch.FetchResult;
import dev.providers.registry.fetch.WheelFetcher;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.reliability.OffloadedHashingTest;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A digester slower than the network paces the connection: the fetch pipes a large body into it, the backlog waiting
 * for the hashing pool never grows past the high-water mark (plus the one network chunk that crossed it), and the
 * wheel still arrives whole, with its digest.
 */
@QuarkusTest
@TestProfile(OffloadedHashingTest.LowThreshold.class)
class DigesterBackpressureTest extends RegistryTestBase {

    private static final int MIB = 1024 * 1024;
    /** The fetch's largest network chunk (its client's maximum chunk size). */
    private static final int MAX_CHUNK = 64 * 1024;

    @Inject
    WheelFetcher fetcher;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aSlowDigesterPausesTheConnectionInsteadOfQueueingTheBody() {
        String name = unique("slow");
        byte[] bytes = Wheels.builder(name, "1.0.0").padding(8 * MIB).build();
        Served wheel = serve(Wheels.fileName(name, "1.0.0"), bytes);
        // Each hashing turn (at most 1 MiB) waits 150 ms first: ~7 MiB/s, far below what loopback TLS delivers.
        Executor slowPool = task -> pool.execute(() -> {
            sleep(150);
            task.run();
        });
        WheelDigester digester = new WheelDigester(new WheelStreamVerifier(MIB), 16 * MIB, 64 * 1024, slowPool);
        Measured measured = new Measured(digester);

        FetchResult fetched = fetcher.fetch(WheelUrl.normalize(wheel.url()), measured, digester::expectLength)
                .await()
                .atMost(Duration.ofSeconds(30));

        assertEquals(bytes.length, fetched.bytes());
        assertTrue(measured.pauses > 0, "the digester never asked for a pause");
        assertTrue(
                measured.maxQueued <= WheelDigester.HIGH_WATER_BYTES + MAX_CHUNK,
                "up to " + measured.maxQueued + " bytes waited for the hashing pool");
        WheelInspection inspection = assertDoesNotThrow(() -> digester.finish(name, "1.0.0", null));
        assertEquals(wheel.sha256(), inspection.sha256Hex());
        assertEquals(bytes.length, inspection.size());
    }

    private static WheelInspection assertDoesNotThrow(Inspect inspect) {
        try {
            return inspect.run();
        } catch (NotAWheelException | PackageNotInWheelException e) {
            throw new AssertionError(e);
        }
    }

    private interface Inspect {
        WheelInspection run() throws NotAWheelException, PackageNotInWheelException;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The digester as the fetch sees it, measuring its backlog after every write (on the event loop). */
    private static final class Measured implements WriteStream<Buffer> {
        private final WheelDigester digester;
        long maxQueued;
        int pauses;

        Measured(WheelDigester digester) {
            this.digester = digester;
        }

        @Override
        public Future<Void> write(Buffer data) {
            Future<Void> written = digester.write(data);
            maxQueued = Math.max(maxQueued, digester.queuedBytes());
            return written;
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            Future<Void> written = write(data);
            if (handler != null) {
                written.onComplete(handler);
            }
        }

        @Override
        public boolean writeQueueFull() {
            boolean full = digester.writeQueueFull();
            pauses += full ? 1 : 0;
            return full;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            digester.drainHandler(handler);
            return this;
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            digester.end(handler);
        }

        @Override
        public Future<Void> end() {
            return digester.end();
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            digester.exceptionHandler(handler);
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            digester.setWriteQueueMaxSize(maxSize);
            return this;
        }
    }
}
