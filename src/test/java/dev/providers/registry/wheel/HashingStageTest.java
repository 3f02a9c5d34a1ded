package dev.providers.registry.wheel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Eventually;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hand-off between the event loop and the hashing pool: order, one thread at a time, backpressure, failure. */
class HashingStageTest {

    private static final int KIB = 1024;

    private static Vertx vertx;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final Context context = vertx.getOrCreateContext();
    private final List<String> callbacks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private HashingStage stage(Consumer<Buffer> sink, CompletableFuture<Throwable> failure) {
        return new HashingStage(pool, context, sink, () -> callbacks.add("resume " + onContext()), e -> {
            callbacks.add("failed " + onContext());
            failure.complete(e);
        });
    }

    private boolean onContext() {
        return Context.isOnEventLoopThread() && Vertx.currentContext() == context;
    }

    private static Buffer chunk(int index, int size) {
        byte[] bytes = new byte[size];
        bytes[0] = (byte) index;
        return Buffer.buffer(bytes);
    }

    @Test
    void chunksReachTheSinkInOrderOneThreadAtATimeAndTheEndRunsOnTheContext() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        HashingStage stage = stage(
                c -> {
                    overlapped.compareAndSet(false, inside.incrementAndGet() > 1);
                    seen.add(c.getByte(0) & 0xff);
                    inside.decrementAndGet();
                },
                new CompletableFuture<>());
        for (int i = 0; i < 2000; i++) {
            stage.offer(chunk(i % 256, 1 + i % 3000));
        }
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        // As FetchAttempt does: the end of the body is announced on the fetch's context.
        context.runOnContext(v -> stage.afterQueued(() -> ended.complete(onContext())));
        assertTrue(ended.get(10, TimeUnit.SECONDS), "the end runs on the fetch's context");
        assertEquals(2000, seen.size());
        for (int i = 0; i < 2000; i++) {
            assertEquals(i % 256, seen.get(i), "chunk " + i);
        }
        assertFalse(overlapped.get(), "the sink was entered by two threads at once");
    }

    @Test
    void aBacklogOverTheLimitAsksForAPauseAndResumesOnceHalfIsHashed() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        HashingStage stage = stage(c -> await(gate), new CompletableFuture<>());
        long queued = 0;
        boolean accepted = true;
        while (accepted) {
            accepted = stage.offer(chunk(0, 16 * KIB));
            queued += 16 * KIB;
            assertTrue(queued <= HashingStage.MAX_BACKLOG_BYTES + 16 * KIB, "no pause asked by " + queued + " bytes");
        }
        assertTrue(queued > HashingStage.MAX_BACKLOG_BYTES);
        Thread.sleep(100);
        assertEquals(List.of(), callbacks, "no resume while the sink is stuck");
        gate.countDown();
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        stage.afterQueued(() -> ended.complete(true));
        ended.get(10, TimeUnit.SECONDS);
        // The resume and the end are separate tasks on the context: the resume may land just after the end.
        Eventually.await(() -> !callbacks.isEmpty(), 10, "the resume");
        assertEquals(List.of("resume true"), callbacks);
    }

    @Test
    void aSinkFailureIsReportedOnTheContextAndDropsTheRest() throws Exception {
        AtomicInteger fed = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        HashingStage stage = stage(
                c -> {
                    if (fed.incrementAndGet() == 3) {
                        throw boom;
                    }
                },
                failure);
        for (int i = 0; i < 100; i++) {
            stage.offer(chunk(i, 4 * KIB));
        }
        AtomicBoolean ended = new AtomicBoolean();
        stage.afterQueued(() -> ended.set(true));
        assertSame(boom, failure.get(10, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertEquals(3, fed.get(), "nothing fed after the failure");
        assertFalse(ended.get(), "a failed stage never reports its end");
        assertEquals(List.of("failed true"), callbacks);
    }

    @Test
    void cancellingDropsTheQueuedChunks() throws Exception {
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger fed = new AtomicInteger();
        HashingStage stage = stage(
                c -> {
                    fed.incrementAndGet();
                    inSink.countDown();
                    await(gate);
                },
                new CompletableFuture<>());
        for (int i = 0; i < 64; i++) {
            stage.offer(chunk(i, 4 * KIB));
        }
        assertTrue(inSink.await(10, TimeUnit.SECONDS));
        stage.cancel();
        gate.countDown();
        AtomicBoolean ended = new AtomicBoolean();
        stage.afterQueued(() -> ended.set(true));
        Thread.sleep(200);
        assertEquals(1, fed.get());
        assertFalse(ended.get());
        assertEquals(List.of(), callbacks);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
