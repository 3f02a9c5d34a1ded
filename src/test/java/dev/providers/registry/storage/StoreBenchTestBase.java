package dev.providers.registry.storage;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Store-level throughput (not a test of behaviour; run with {@code -Dstore.bench=true}): 64 MiB and 1 GiB written
 * through a {@link BlobWrite} in 64 KiB pieces with backpressure, then read back whole, hashed as they arrive, next
 * to the same-run floor of hashing the same pieces in memory (what the upload's digester costs anyway). Prints one
 * line per size to stdout, prefixed {@code STORE-BENCH}.
 */
abstract class StoreBenchTestBase {

    static final int PIECE = 64 * 1024;

    @Inject
    WheelStore store;

    @Inject
    WheelBlobs blobs;

    @Inject
    Vertx vertx;

    private final byte[] pattern = randomMiB();

    private static byte[] randomMiB() {
        byte[] bytes = new byte[1024 * 1024];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    @Test
    void storeAndRead() throws Exception {
        for (long size : new long[] {64L << 20, 1L << 30}) {
            for (int round = 0; round < (size < (1L << 30) ? 3 : 1); round++) {
                run(size);
            }
        }
    }

    private void run(long size) throws Exception {
        long floorStart = System.nanoTime();
        MessageDigest floor = Blobs.sha256();
        for (long at = 0; at < size; at += PIECE) {
            floor.update(pattern, (int) (at % pattern.length), (int) Math.min(PIECE, size - at));
        }
        String expected = HexFormat.of().formatHex(floor.digest());
        double floorSeconds = (System.nanoTime() - floorStart) / 1e9;

        BlobWrite write = store.create();
        blobs.stage(store.kind(), write.key(), Instant.now().plus(Duration.ofHours(1)))
                .await()
                .indefinitely();
        long writeStart = System.nanoTime();
        CompletableFuture<Void> done = new CompletableFuture<>();
        write.exceptionHandler(done::completeExceptionally);
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> new Object() {
            final MessageDigest digest = Blobs.sha256();
            long at;

            void pump() {
                while (at < size) {
                    if (write.writeQueueFull()) {
                        write.drainHandler(d -> {
                            write.drainHandler(null);
                            pump();
                        });
                        return;
                    }
                    int n = (int) Math.min(PIECE, size - at);
                    int from = (int) (at % pattern.length);
                    digest.update(pattern, from, n);
                    write.write(Buffer.buffer().appendBytes(pattern, from, n));
                    at += n;
                }
                write.end().onSuccess(ok -> done.complete(null)).onFailure(done::completeExceptionally);
            }
        }.pump());
        done.get();
        double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

        long readStart = System.nanoTime();
        String[] read = Blobs.hash(store.read(write.key(), 0, size), Duration.ofMinutes(10));
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        Assertions.assertEquals(expected, read[0]);
        write.abort().await().indefinitely();
        blobs.discard(store.kind(), write.key()).await().indefinitely();

        double mib = size / 1048576.0;
        System.out.printf(
                "STORE-BENCH %s %d MiB: write %.2f s (%.0f MiB/s), read %.2f s (%.0f MiB/s), floor sha256 %.2f s"
                        + " (%.0f MiB/s)%n",
                store.kind().column(),
                (long) mib,
                writeSeconds,
                mib / writeSeconds,
                readSeconds,
                mib / readSeconds,
                floorSeconds,
                mib / floorSeconds);
    }
}
