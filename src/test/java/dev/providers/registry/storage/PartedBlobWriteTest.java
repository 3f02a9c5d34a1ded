package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link PartedBlobWrite} cuts a stream into parts and holds them, on a store that records what it is given:
 * parts keep the order and the boundaries whatever the sizes of the written buffers, a part holds the written
 * buffers rather than copies (small ones coalesced), the backpressure bounds what is held to about two parts, and an
 * {@link Error} of the store fails the write instead of escaping.
 */
class PartedBlobWriteTest {

    /** Odd on purpose: no written size lines up with it by chance. */
    static final int PART = 64 * 1024 + 7;

    static final Duration WAIT = Duration.ofSeconds(20);

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A store that records the parts it is given; how a part is stored is up to the test. */
    static final class Recording extends PartedBlobWrite {
        final List<BlobPart> parts = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger removals = new AtomicInteger();
        final AtomicLong stored = new AtomicLong();
        volatile BlobPart last;
        volatile int completedAfter = -1;
        final BiFunction<Integer, BlobPart, Uni<Void>> store;

        Recording(Context context, BiFunction<Integer, BlobPart, Uni<Void>> store) {
            super(context, "test-" + System.nanoTime(), PART);
            this.store = store;
        }

        @Override
        protected Uni<Void> storePart(int part, BlobPart bytes) {
            numbers.add(part);
            parts.add(bytes);
            return store.apply(part, bytes).invoke(() -> stored.addAndGet(bytes.length()));
        }

        @Override
        protected Uni<Void> complete(int parts, BlobPart last) {
            this.completedAfter = parts;
            this.last = last;
            return Uni.createFrom().voidItem();
        }

        @Override
        protected Uni<Void> remove() {
            removals.incrementAndGet();
            return Uni.createFrom().voidItem();
        }

        /** Written and not stored yet: the part in flight, the full one waiting, the one filling. */
        long heldBytes() {
            return size() - stored.get();
        }
    }

    static byte[] bytes(BlobPart part) {
        Buffer all = Buffer.buffer(part.length());
        part.pieces().forEach(all::appendBuffer);
        byte[] viaNio = new byte[part.length()];
        int at = 0;
        for (var nio : part.nioBuffers()) {
            int n = nio.remaining();
            nio.get(viaNio, at, n);
            at += n;
        }
        assertArrayEquals(all.getBytes(), viaNio, "the NIO view differs from the pieces");
        assertArrayEquals(all.getBytes(), part.asBuffer().getBytes(), "the composite view differs from the pieces");
        return all.getBytes();
    }

    static <T> T await(CompletableFuture<T> future) {
        return Blobs.await(future, WAIT);
    }

    /** Runs {@code work} on the context and waits for it. */
    static <T> T on(Context context, java.util.function.Supplier<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                done.complete(work.get());
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return await(done);
    }

    /** What {@code future} failed with, or null when it succeeded. */
    static Throwable failureOf(io.vertx.core.Future<?> future) {
        return await(future.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure));
    }

    @Test
    void partsKeepOrderAndBoundariesWhateverTheWrittenSizes() {
        Context context = vertx.getOrCreateContext();
        Recording write = new Recording(context, (n, part) -> Uni.createFrom().voidItem());
        Random random = new Random(42);
        long seed = 7;
        long size = 0;
        // Sizes from 1 byte to three parts in one buffer, with runs of tiny ones and exact part sizes among them.
        int[] sizes = new int[400];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = switch (i % 5) {
                case 0 -> 1 + random.nextInt(16);
                case 1 -> 1 + random.nextInt(BlobPart.SMALL * 2);
                case 2 -> 1 + random.nextInt(3 * PART);
                case 3 -> i % 3 == 0 ? PART : 8192;
                default -> 1 + random.nextInt(PART);
            };
        }
        for (int n : sizes) {
            long at = size;
            on(context, () -> write.write(Buffer.buffer(Blobs.bytes(seed, at, n))));
            size += n;
        }
        long total = size;
        await(on(context, write::end).toCompletionStage().toCompletableFuture());

        assertEquals(total, write.size());
        int full = (int) (total / PART);
        assertEquals(full, write.parts.size());
        assertEquals(full, write.completedAfter);
        for (int i = 0; i < full; i++) {
            assertEquals(i, write.numbers.get(i));
            assertEquals(PART, write.parts.get(i).length());
            assertArrayEquals(Blobs.bytes(seed, (long) i * PART, PART), bytes(write.parts.get(i)), "part " + i);
        }
        int rest = (int) (total % PART);
        assertEquals(rest, write.last.length());
        assertArrayEquals(Blobs.bytes(seed, (long) full * PART, rest), bytes(write.last));
    }

    @Test
    @SuppressWarnings("deprecation") // Buffer.getByteBuf: to see which memory a piece is
    void aPartHoldsTheWrittenBuffersNotCopiesAndCoalescesTinyOnes() {
        Context context = vertx.getOrCreateContext();
        Recording write = new Recording(context, (n, part) -> Uni.createFrom().voidItem());
        // A big buffer straddling the first boundary: both parts are views of its memory.
        Buffer big = Buffer.buffer(Blobs.bytes(3, 0, PART + 20_000));
        on(context, () -> write.write(big));
        BlobPart first = write.parts.get(0);
        assertEquals(1, first.pieces().size());
        assertSame(big.getByteBuf().array(), first.pieces().get(0).getByteBuf().array());

        // The second part from there: 1-byte writes are copied together, a few pieces for the whole part.
        long at = PART + 20_000;
        for (long end = 2L * PART; at < end; at++) {
            long position = at;
            write.write(Buffer.buffer(Blobs.bytes(3, position, 1)));
        }
        await(on(context, write::end).toCompletionStage().toCompletableFuture());
        BlobPart second = write.parts.get(1);
        assertArrayEquals(Blobs.bytes(3, PART, PART), bytes(second));
        assertSame(big.getByteBuf().array(), second.pieces().get(0).getByteBuf().array());
        int expected = 1 + (PART - 20_000 + BlobPart.COALESCED - 1) / BlobPart.COALESCED;
        assertEquals(expected, second.pieces().size(), "pieces of the second part");
    }

    @Test
    @SuppressWarnings("deprecation") // Buffer.getByteBuf: the arrays behind the pieces
    void tinyAndBigWritesAlternatingHoldLittleMoreThanTheirBytes() {
        Context context = vertx.getOrCreateContext();
        Recording write = new Recording(context, (n, part) -> Uni.createFrom().voidItem());
        long at = 0;
        for (int i = 0; at < 3L * PART; i++) {
            int n = i % 2 == 0 ? 3 : BlobPart.SMALL;
            long position = at;
            write.write(Buffer.buffer(Blobs.bytes(5, position, n)));
            at += n;
        }
        assertEquals(3, write.parts.size());
        for (BlobPart part : write.parts) {
            java.util.Set<byte[]> arrays = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            part.pieces().forEach(p -> arrays.add(p.getByteBuf().array()));
            long held = arrays.stream().mapToLong(a -> a.length).sum();
            assertTrue(
                    held <= part.length() + 2L * BlobPart.SMALL, "a part of " + part.length() + " bytes holds " + held);
        }
        await(on(context, write::end).toCompletionStage().toCompletableFuture());
    }

    @Test
    void theBackpressureHoldsAboutTwoParts() {
        Context context = vertx.getOrCreateContext();
        // A store slower than the writer: each part takes a few milliseconds.
        Recording write = new Recording(
                context,
                (n, part) -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(3)));
        int piece = 8192 + 13;
        long size = 40L * PART;
        long[] maxHeld = {0};
        int[] pauses = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> new Object() {
            long position;

            void pump() {
                while (position < size) {
                    if (write.writeQueueFull()) {
                        pauses[0]++;
                        write.drainHandler(d -> {
                            write.drainHandler(null);
                            pump();
                        });
                        return;
                    }
                    int n = (int) Math.min(piece, size - position);
                    write.write(Buffer.buffer(Blobs.bytes(9, position, n)));
                    position += n;
                    maxHeld[0] = Math.max(maxHeld[0], write.heldBytes());
                }
                write.end().onComplete(r -> done.complete(null));
            }
        }.pump());
        await(done);
        assertEquals(size, write.size());
        assertTrue(pauses[0] > 0, "the writer was never asked to pause");
        // One part in flight, one full one waiting, and the piece that filled it.
        assertTrue(maxHeld[0] <= 2L * PART + piece, "held " + maxHeld[0] + " bytes at most, parts are " + PART);
        for (int i = 0; i < write.parts.size(); i++) {
            assertArrayEquals(Blobs.bytes(9, (long) i * PART, PART), bytes(write.parts.get(i)));
        }
    }

    @Test
    void anErrorThrownByTheStoreFailsTheWriteAndAbortRemovesIt() {
        Context context = vertx.getOrCreateContext();
        Recording write = new Recording(context, (n, part) -> {
            throw new OutOfMemoryError("test: Java heap space");
        });
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        write.exceptionHandler(reported::complete);
        // The write that fills a part hands it to the store, which throws: nothing reaches the writer's stack.
        on(context, () -> write.write(Buffer.buffer(Blobs.bytes(1, 0, PART + 1))));
        assertInstanceOf(OutOfMemoryError.class, await(reported));
        Throwable later = failureOf(on(context, () -> write.write(Buffer.buffer("x"))));
        assertInstanceOf(OutOfMemoryError.class, later, String.valueOf(later));
        Throwable ended = failureOf(on(context, write::end));
        assertInstanceOf(OutOfMemoryError.class, ended, String.valueOf(ended));
        write.abort().await().atMost(WAIT);
        assertEquals(1, write.removals.get());
    }

    @Test
    void anErrorAsTheStoresFailureReachesAWriterWaitingForADrain() {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Recording write = new Recording(
                context,
                (n, part) -> Uni.createFrom()
                        .completionStage(gate)
                        .onItem()
                        .failWith(() -> new StackOverflowError("test: from the store's thread")));
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        write.exceptionHandler(reported::complete);
        boolean full = on(context, () -> {
            write.write(Buffer.buffer(Blobs.bytes(2, 0, 2 * PART)));
            return write.writeQueueFull();
        });
        assertTrue(full, "two full parts did not fill the write queue");
        gate.complete(null); // the store answers, with an Error, on a thread of its own
        assertInstanceOf(StackOverflowError.class, await(reported));
        assertTrue(!write.writeQueueFull(), "a failed write still asks its writer to wait");
        write.abort().await().atMost(WAIT);
        assertEquals(1, write.removals.get());
    }
}
