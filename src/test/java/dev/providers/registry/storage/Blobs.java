package dev.providers.registry.storage;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Test bytes that need no memory (byte {@code i} of blob {@code seed} is a function of both), a writer that obeys a
 * {@link BlobWrite}'s backpressure on a Vert.x context, and readers that hash or collect.
 */
final class Blobs {

    private Blobs() {}

    static byte at(long seed, long position) {
        long x = (position + 1) * 0x9E3779B97F4A7C15L + seed * 0xC2B2AE3D27D4EB4FL;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        return (byte) (x >>> 32);
    }

    static byte[] bytes(long seed, long offset, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = at(seed, offset + i);
        }
        return out;
    }

    static String sha256(long seed, long size) {
        MessageDigest digest = sha256();
        byte[] piece = new byte[64 * 1024];
        for (long at = 0; at < size; at += piece.length) {
            int n = (int) Math.min(piece.length, size - at);
            for (int i = 0; i < n; i++) {
                piece[i] = at(seed, at + i);
            }
            digest.update(piece, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a write through {@link #write} saw. */
    record Written(String key, long size, int pauses) {}

    /**
     * Creates a blob on a Vert.x event-loop context (as an upload does) and writes {@code size} bytes of {@code seed}
     * in pieces of {@code piece} bytes, pausing while {@code writeQueueFull} until the drain handler runs; ends it.
     * {@code beforeWrite} runs on the context once the blob exists (e.g. to stage its key).
     */
    static CompletableFuture<Written> write(
            Vertx vertx,
            Supplier<BlobWrite> create,
            long seed,
            long size,
            int piece,
            java.util.function.Consumer<BlobWrite> created) {
        CompletableFuture<Written> result = new CompletableFuture<>();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            BlobWrite write = create.get();
            created.accept(write);
            new Object() {
                long position;
                int pauses;

                void pump() {
                    while (position < size && !result.isDone()) {
                        if (write.writeQueueFull()) {
                            pauses++;
                            write.drainHandler(d -> {
                                write.drainHandler(null);
                                pump();
                            });
                            return;
                        }
                        int n = (int) Math.min(piece, size - position);
                        write.write(Buffer.buffer(bytes(seed, position, n)));
                        position += n;
                    }
                    if (!result.isDone()) {
                        write.end()
                                .onSuccess(ok -> result.complete(new Written(write.key(), write.size(), pauses)))
                                .onFailure(result::completeExceptionally);
                    }
                }

                void start() {
                    write.exceptionHandler(result::completeExceptionally);
                    pump();
                }
            }.start();
        });
        return result;
    }

    static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every byte of the stream, collected (small reads only). */
    static byte[] collect(Multi<Buffer> stream) {
        Buffer all = stream.collect()
                .in(Buffer::buffer, Buffer::appendBuffer)
                .await()
                .atMost(Duration.ofSeconds(60));
        return all.getBytes();
    }

    /** The stream's SHA-256 and length, hashed as it arrives. */
    static String[] hash(Multi<Buffer> stream, Duration timeout) {
        MessageDigest digest = sha256();
        long[] count = {0};
        stream.onItem()
                .invoke(b -> {
                    digest.update(b.getByteBuf().nioBuffer());
                    count[0] += b.length();
                })
                .collect()
                .last()
                .await()
                .atMost(timeout);
        return new String[] {HexFormat.of().formatHex(digest.digest()), Long.toString(count[0])};
    }
}
