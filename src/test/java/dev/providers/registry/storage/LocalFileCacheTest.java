package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.http.StreamedResponse;
import dev.providers.registry.support.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalFileCache} and its fills on a real Vert.x and a real directory. */
class LocalFileCacheTest {

    @TempDir
    Path root;

    Vertx vertx;
    SimpleMeterRegistry metrics;
    LocalFileCache cache;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        metrics = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private LocalFileCache started(Optional<Path> directory, long maxBytes) {
        cache = new LocalFileCache(vertx, true, directory, maxBytes, metrics);
        cache.start();
        return cache;
    }

    private static byte[] bytes(int size, int seed) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) seed);
        bytes[0] = (byte) (seed + 1);
        return bytes;
    }

    /** Runs {@code steps} with a fill of {@code sha} on a Vert.x context, as a download does; answers the copy. */
    private StreamedResponse.BodyCopy onContext(String sha, long size, Consumer<StreamedResponse.BodyCopy> steps) {
        CompletableFuture<StreamedResponse.BodyCopy> done = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            StreamedResponse.BodyCopy copy = cache.fill(sha, size);
            steps.accept(copy);
            done.complete(copy);
        });
        return done.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A whole download of {@code content} in three buffers, then waits until it is cached. */
    private void download(String sha, byte[] content) {
        onContext(sha, content.length, copy -> {
            int third = content.length / 3;
            copy.write(Buffer.buffer(Arrays.copyOfRange(content, 0, third)));
            copy.write(Buffer.buffer(Arrays.copyOfRange(content, third, 2 * third)));
            copy.write(Buffer.buffer(Arrays.copyOfRange(content, 2 * third, content.length)));
            copy.complete();
        });
        Eventually.await(() -> cache.holds(sha), 10, sha + " to be cached");
    }

    private List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void aWholeDownloadIsCachedUnderItsDigestAndCountedAsAHitThen() throws IOException {
        started(Optional.of(root.resolve("cache")), 1 << 20);
        byte[] content = bytes(100_000, 7);
        assertNull(cache.lookup(sha('a')));
        download(sha('a'), content);
        Path file = cache.lookup(sha('a'));
        assertNotNull(file);
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(List.of(sha('a')), namesIn(cache.directory()));
        assertEquals(
                1.0,
                metrics.counter("registry.file.cache.reads", "result", "hit").count());
        assertEquals(
                1.0,
                metrics.counter("registry.file.cache.reads", "result", "miss").count());
        assertEquals(100_000.0, metrics.get("registry.file.cache.bytes").gauge().value());
        assertEquals(1.0, metrics.get("registry.file.cache.files").gauge().value());
    }

    @Test
    void theLeastRecentlyReadFilesLeaveOnceTheTotalPassesMaxSize() throws IOException {
        started(Optional.of(root.resolve("cache")), 3000);
        download(sha('a'), bytes(1200, 1));
        download(sha('b'), bytes(1200, 2));
        assertNotNull(cache.lookup(sha('a'))); // a is now read more recently than b
        download(sha('c'), bytes(1200, 3));
        assertFalse(cache.holds(sha('b')));
        assertTrue(cache.holds(sha('a')) && cache.holds(sha('c')));
        Eventually.await(() -> !Files.exists(cache.directory().resolve(sha('b'))), 10, "b's file to be deleted");
        assertEquals(List.of(sha('a'), sha('c')), namesIn(cache.directory()));
        assertEquals(2400.0, metrics.get("registry.file.cache.bytes").gauge().value());
    }

    @Test
    void aFileLargerThanMaxSizeIsNeverCachedAndOneDigestHasOneFillAtATime() {
        started(Optional.empty(), 1000);
        assertSame(StreamedResponse.NO_COPY, cache.fill(sha('a'), 1001));
        onContext(sha('b'), 10, first -> assertSame(StreamedResponse.NO_COPY, cache.fill(sha('b'), 10)));
    }

    @Test
    void anAbandonedOrShortDownloadLeavesNoFile() throws IOException {
        started(Optional.of(root.resolve("cache")), 1 << 20);
        onContext(sha('a'), 1000, copy -> {
            copy.write(Buffer.buffer(bytes(400, 1)));
            copy.abandon();
            copy.complete(); // a close after the abandon changes nothing
        });
        onContext(sha('b'), 1000, copy -> {
            copy.write(Buffer.buffer(bytes(999, 1)));
            copy.complete();
        });
        onContext(sha('c'), 1000, copy -> {
            copy.write(Buffer.buffer(bytes(1001, 1)));
            copy.complete();
        });
        Eventually.await(() -> quietly(() -> namesIn(cache.directory()).isEmpty()), 10, "the partial files to go");
        assertFalse(cache.holds(sha('a')) || cache.holds(sha('b')) || cache.holds(sha('c')));
        // The digest can be filled again afterwards.
        download(sha('a'), bytes(1000, 1));
    }

    @Test
    void aFillThatFallsBehindTheDownloadGivesUpWithoutHoldingItBack() throws IOException {
        started(Optional.of(root.resolve("cache")), 1L << 30);
        int budget = (int) cache.diskBudget();
        // Queued before the file is even open (the open completes on this context, after this task).
        onContext(sha('a'), budget + 2L, copy -> {
            copy.write(Buffer.buffer(bytes(budget + 1, 1)));
            copy.write(Buffer.buffer(bytes(1, 1)));
            copy.complete();
        });
        Eventually.await(() -> quietly(() -> namesIn(cache.directory()).isEmpty()), 10, "the partial file to go");
        assertFalse(cache.holds(sha('a')));
        // What the abandoned fill reserved was given back: a fill of the whole budget still fits.
        download(sha('b'), bytes(budget, 2));
    }

    @Test
    void aConfiguredDirectoryIsEmptiedAtStartUpAndKeptAtShutdown() throws IOException {
        Path dir = root.resolve("owned");
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve(sha('a')), bytes(10, 1));
        Files.write(dir.resolve("sub/x.part"), bytes(10, 1));
        started(Optional.of(dir), 1 << 20);
        assertEquals(List.of(), namesIn(dir));
        assertFalse(cache.holds(sha('a')));
        download(sha('b'), bytes(100, 2));
        cache.stop();
        assertTrue(Files.isDirectory(dir));
        // The next start empties it again: what a former process left is never served.
        started(Optional.of(dir), 1 << 20);
        assertEquals(List.of(), namesIn(dir));
    }

    @Test
    void theTemporaryDirectoryIsDeletedAtShutdown() {
        started(Optional.empty(), 1 << 20);
        Path dir = cache.directory();
        download(sha('a'), bytes(100, 1));
        cache.stop();
        assertFalse(Files.exists(dir));
        assertNull(cache.lookup(sha('a')));
    }

    @Test
    void anUnusableDirectoryLeavesTheCacheOff() throws IOException {
        Path file = Files.write(root.resolve("a-file"), bytes(1, 1));
        started(Optional.of(file.resolve("cache")), 1 << 20);
        assertNull(cache.directory());
        assertSame(StreamedResponse.NO_COPY, cache.fill(sha('a'), 10));
        assertNull(cache.lookup(sha('a')));
    }

    @Test
    void aDirectoryRemovedWhileRunningMakesFillsGiveUp() throws IOException {
        started(Optional.of(root.resolve("cache")), 1 << 20);
        Files.delete(cache.directory());
        StreamedResponse.BodyCopy copy = onContext(sha('a'), 100, c -> c.write(Buffer.buffer(bytes(100, 1))));
        vertx.getOrCreateContext().runOnContext(v -> copy.complete());
        // The failed open ends the fill: another download of the digest may try again.
        Eventually.await(
                () -> onContext(sha('a'), 100, c -> c.abandon()) != StreamedResponse.NO_COPY, 10, "the fill to end");
        assertFalse(cache.holds(sha('a')));
        assertTrue(cache.reserve(cache.diskBudget()), "the failed fill gave its reservation back");
    }

    @Test
    void aDisabledCacheHasNoDirectory() {
        cache = new LocalFileCache(vertx, false, Optional.empty(), 1 << 20, metrics);
        cache.start();
        assertNull(cache.directory());
        assertSame(StreamedResponse.NO_COPY, cache.fill(sha('a'), 10));
    }

    private interface Check {
        boolean get() throws IOException;
    }

    private static boolean quietly(Check check) {
        try {
            return check.get();
        } catch (IOException e) {
            return false;
        }
    }
}
