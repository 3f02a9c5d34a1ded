package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * parts keep the order and the boundaries whatever the sizes of the written buffers, they are held in reused blocks
 * (as many for tiny writes as for big ones, all given back once stored, failed or aborted), the backpressure bounds
 * what is held to about two parts, and an {@link Error} of the store fails the write instead of escaping.
 */
class PartedBlobWriteTest {

    /** Odd on purpose: no written size lines up with it by chance; a part spans four blocks, the last one barely. */
    static final int PART = 3 * PartBlocks.BLOCK + 7;

    static final int BLOCKS_PER_PART = 4;

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

    /**
     * A store that records the bytes of the parts it is given (read through both views the real stores use, before
     * its operation completes: the blocks are reused after); how a part is stored is up to the test.
     */
    static final class Recording extends PartedBlobWrite {
        final PartBlocks pool;
        final List<byte[]> parts = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> blocksPerPart = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> numbers = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger removals = new AtomicInteger();
        final AtomicLong stored = new AtomicLong();
        volatile byte[] last;
        volatile int completedAfter = -1;
        final BiFunction<Integer, BlobPart, Uni<Void>> store;

        Recording(Context context, PartBlocks pool, BiFunction<Integer, BlobPart, Uni<Void>> store) {
            super(context, "test-" + System.nanoTime(), PART, pool);
            this.pool = pool;
            this.store = store;
        }

        Recording(Context context, BiFunction<Integer, BlobPart, Uni<Void>> store) {
            this(context, new PartBlocks(1024), store);
        }

        @Override
        protected Uni<Void> storePart(int part, BlobPart bytes) {
            numbers.add(part);
            parts.add(bytes(bytes));
            blocksPerPart.add(bytes.blocks());
            return store.apply(part, bytes).invoke(() -> stored.addAndGet(bytes.length()));
        }

        @Override
        protected Uni<Void> complete(int parts, BlobPart last) {
            this.completedAfter = parts;
            this.last = bytes(last);
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
        byte[] viaNio = new byte[part.length()];
        int at = 0;
        for (var nio : part.nioBuffers()) {
            int n = nio.remaining();
            nio.get(viaNio, at, n);
            at += n;
        }
        assertEquals(part.length(), at);
        assertArrayEquals(viaNio, part.asBuffer().getBytes(), "the composite view differs from the NIO one");
        return viaNio;
    }

    static <T> T await(CompletableFuture<T> future) {
        return Blobs.await(future, WAIT);
    }

    /** What {@code future} failed with, or null when it succeeded. */
    static Throwable failureOf(io.vertx.core.Future<?> future) {
        return await(future.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure));
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

    static void end(Context context, Recording write) {
        assertNull(failureOf(on(context, write::end)));
    }

    @Test
    void partsKeepOrderAndBoundariesWhateverTheWrittenSizes() {
        Context context = vertx.getOrCreateContext();
        Recording write = new Recording(context, (n, part) -> Uni.createFrom().voidItem());
        Random random = new Random(42);
        long seed = 7;
        long size = 0;
        // Sizes from 1 byte to three parts in one buffer, exact part and block sizes among them.
        int[] sizes = new int[400];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = switch (i % 5) {
                case 0 -> 1 + random.nextInt(16);
                case 1 -> 1 + random.nextInt(2 * PartBlocks.BLOCK);
                case 2 -> 1 + random.nextInt(3 * PART);
                case 3 -> i % 3 == 0 ? PART : PartBlocks.BLOCK;
                default -> 1 + random.nextInt(PART);
            };
        }
        for (int n : sizes) {
            long at = size;
            on(context, () -> write.write(Buffer.buffer(Blobs.bytes(seed, at, n))));
            size += n;
        }
        long total = size;
        end(context, write);

        assertEquals(total, write.size());
        int full = (int) (total / PART);
        assertEquals(full, write.parts.size());
        assertEquals(full, write.completedAfter);
        for (int i = 0; i < full; i++) {
            assertEquals(i, write.numbers.get(i));
            assertArrayEquals(Blobs.bytes(seed, (long) i * PART, PART), write.parts.get(i), "part " + i);
        }
        assertArrayEquals(Blobs.bytes(seed, (long) full * PART, (int) (total % PART)), write.last);
        assertEquals(0, write.pool.inUse(), "blocks not given back");
    }

    @Test
    void tinyWritesTakeAsFewBlocksAsBigOnesAndBlocksAreReused() {
        Context context = vertx.getOrCreateContext();
        Recording write = new Recording(context, (n, part) -> Uni.createFrom().voidItem());
        long size = 20L * PART;
        // One part of 1-byte writes, then the rest in pieces of a block and a half.
        for (long at = 0; at < PART; at++) {
            long position = at;
            on(context, () -> write.write(Buffer.buffer(Blobs.bytes(3, position, 1))));
        }
        for (long at = PART; at < size; at += 3 * PartBlocks.BLOCK / 2) {
            long position = at;
            int n = (int) Math.min(3 * PartBlocks.BLOCK / 2, size - at);
            on(context, () -> write.write(Buffer.buffer(Blobs.bytes(3, position, n))));
        }
        end(context, write);

        assertEquals(20, write.parts.size());
        assertTrue(write.blocksPerPart.stream().allMatch(n -> n == BLOCKS_PER_PART), write.blocksPerPart.toString());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(Blobs.bytes(3, (long) i * PART, PART), write.parts.get(i), "part " + i);
        }
        assertEquals(0, write.pool.inUse());
        // 20 parts went through, each stored before the next: the blocks of about two parts did it all.
        assertTrue(write.pool.idle() <= 2 * BLOCKS_PER_PART, write.pool.idle() + " blocks allocated");
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
        long[] maxHeld = {0, 0};
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
                    maxHeld[1] = Math.max(maxHeld[1], write.pool.inUse());
                }
                write.end().onComplete(r -> done.complete(null));
            }
        }.pump());
        await(done);
        assertEquals(size, write.size());
        assertTrue(pauses[0] > 0, "the writer was never asked to pause");
        // One part in flight, one full one waiting, and the piece that filled it.
        assertTrue(maxHeld[0] <= 2L * PART + piece, "held " + maxHeld[0] + " bytes at most, parts are " + PART);
        assertTrue(maxHeld[1] <= 3L * BLOCKS_PER_PART, "held " + maxHeld[1] + " blocks at most");
        for (int i = 0; i < write.parts.size(); i++) {
            assertArrayEquals(Blobs.bytes(9, (long) i * PART, PART), write.parts.get(i));
        }
        assertEquals(0, write.pool.inUse());
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
        on(context, () -> write.write(Buffer.buffer(Blobs.bytes(1, 0, 2 * PART + 1))));
        assertInstanceOf(OutOfMemoryError.class, await(reported));
        Throwable later = failureOf(on(context, () -> write.write(Buffer.buffer("x"))));
        assertInstanceOf(OutOfMemoryError.class, later, String.valueOf(later));
        Throwable ended = failureOf(on(context, write::end));
        assertInstanceOf(OutOfMemoryError.class, ended, String.valueOf(ended));
        write.abort().await().atMost(WAIT);
        assertEquals(1, write.removals.get());
        assertEquals(0, write.pool.inUse(), "blocks not given back");
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
            write.write(Buffer.buffer(Blobs.bytes(2, 0, 2 * PART + 5)));
            return write.writeQueueFull();
        });
        assertTrue(full, "two full parts did not fill the write queue");
        assertEquals(2 * BLOCKS_PER_PART + 1, write.pool.inUse());
        gate.complete(null); // the store answers, with an Error, on a thread of its own
        assertInstanceOf(StackOverflowError.class, await(reported));
        assertFalse(write.writeQueueFull(), "a failed write still asks its writer to wait");
        write.abort().await().atMost(WAIT);
        assertEquals(1, write.removals.get());
        assertEquals(0, write.pool.inUse(), "blocks not given back");
    }

    @Test
    void anAbortWhileAPartIsStoredGivesEveryBlockBackOnceItCompleted() {
        Context context = vertx.getOrCreateContext();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Recording write = new Recording(context, (n, part) -> Uni.createFrom().completionStage(gate));
        on(context, () -> write.write(Buffer.buffer(Blobs.bytes(4, 0, 2 * PART + 5))));
        CompletableFuture<Void> aborted =
                write.abort().subscribeAsCompletionStage().toCompletableFuture();
        // The part in flight is still the store's: only the waiting and the filling ones are back.
        assertEquals(BLOCKS_PER_PART, write.pool.inUse());
        assertFalse(aborted.isDone(), "removed while a part was still being stored");
        gate.complete(null);
        await(aborted);
        assertEquals(1, write.removals.get());
        assertEquals(0, write.pool.inUse());
    }

    @Test
    void idleBlocksAreKeptUpToTheLimit() {
        assertEquals(64, PartBlocks.idleLimit(16L << 20)); // at least 4 MiB
        assertEquals(128, PartBlocks.idleLimit(64L << 20)); // -Xmx64m: 8 MiB
        assertEquals(1024, PartBlocks.idleLimit(8L << 30)); // at most 64 MiB
        PartBlocks pool = new PartBlocks(2);
        List<byte[]> taken = List.of(pool.take(), pool.take(), pool.take());
        taken.forEach(pool::give);
        assertEquals(2, pool.idle());
        assertEquals(0, pool.inUse());
        assertTrue(taken.contains(pool.take()), "an idle block was not reused");
    }
}
