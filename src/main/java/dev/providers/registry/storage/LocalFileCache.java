package dev.providers.registry.storage;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.http.StreamedResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Downloaded wheels kept on this node's disk, by digest, so that the next download is sent from a file (sendfile)
 * instead of streamed from the store: a file under a digest never changes, so a copy is never stale. Filled on the
 * side of a full download from the store ({@link CacheFill}), bounded by {@code registry.storage.cache.max-size},
 * least recently read first out. The index lives in memory: the directory is emptied at start-up, so that it only
 * ever holds files this process wrote whole.
 */
@ApplicationScoped
public class LocalFileCache {

    private static final Logger LOG = Logger.getLogger(LocalFileCache.class);

    private final Vertx vertx;
    private final boolean enabled;
    private final Optional<Path> configured;
    private final long maxBytes;
    /** Digest to size, in order of last read. */
    private final LinkedHashMap<String, Long> files = new LinkedHashMap<>(64, 0.75f, true);

    private final Set<String> filling = new HashSet<>();
    /**
     * Bytes all fills may have waiting for the disk (or for their file to open) at once: the heap they hold beyond
     * the downloads. Writes of 1 MiB took 5-20 ms on a loaded machine, and a fill's first one 100 ms (bench/README.md
     * "Downloads from the node-local cache"), while a download brings 100-300 MiB/s.
     */
    private final long diskBudget = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);

    private final AtomicLong waitingForDisk = new AtomicLong();
    private final Counter hits;
    private final Counter misses;
    private long bytes;
    /** Null while nothing is cached: disabled, not started, or the directory is not usable. */
    private volatile Path directory;

    private boolean temporary;

    @Inject
    public LocalFileCache(RegistryConfig config, io.vertx.mutiny.core.Vertx vertx, MeterRegistry metrics) {
        this(
                vertx.getDelegate(),
                config.storage().cache().enabled(),
                config.storage().cache().directory().map(Path::of),
                config.storage().cache().maxSize().asLongValue(),
                metrics);
    }

    LocalFileCache(Vertx vertx, boolean enabled, Optional<Path> directory, long maxBytes, MeterRegistry metrics) {
        this.vertx = vertx;
        this.enabled = enabled;
        this.configured = directory;
        this.maxBytes = maxBytes;
        this.hits = metrics.counter("registry.file.cache.reads", "result", "hit");
        this.misses = metrics.counter("registry.file.cache.reads", "result", "miss");
        Gauge.builder("registry.file.cache.bytes", this, LocalFileCache::bytes).register(metrics);
        Gauge.builder("registry.file.cache.files", this, LocalFileCache::size).register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Creates (or empties) the directory; one that cannot be used leaves the cache off, downloads unharmed. */
    void start() {
        if (!enabled) {
            return;
        }
        Path dir = null;
        try {
            if (configured.isPresent()) {
                dir = configured.get().toAbsolutePath();
                Files.createDirectories(dir);
                deleteContents(dir);
            } else {
                dir = Files.createTempDirectory("registry-file-cache-");
                temporary = true;
            }
            Files.delete(Files.createTempFile(dir, "probe", ".part"));
            directory = dir;
            LOG.infof("downloaded wheels are cached in %s (at most %d bytes)", dir, maxBytes);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.warnf("the download cache is off: its directory %s is not usable (%s)", dir, e.toString());
        }
    }

    @PreDestroy
    synchronized void stop() {
        Path dir = directory;
        directory = null;
        files.clear();
        bytes = 0;
        if (dir != null && temporary) {
            try {
                deleteContents(dir);
                Files.deleteIfExists(dir);
            } catch (IOException | UncheckedIOException e) {
                LOG.warnf("the download cache's temporary directory %s was not deleted: %s", dir, e.toString());
            }
        }
    }

    /** The cached file of {@code sha256} (now its most recently read), or null; counted as a hit or a miss. */
    public Path lookup(String sha256) {
        Path dir = directory;
        boolean found;
        synchronized (this) {
            found = dir != null && files.get(sha256) != null;
        }
        (found ? hits : misses).increment();
        return found ? dir.resolve(sha256) : null;
    }

    /** The cached file of {@code sha256} could not be sent (it was deleted from under us): no longer cached. */
    public synchronized void forget(String sha256) {
        Long size = files.remove(sha256);
        if (size != null) {
            bytes -= size;
        }
    }

    /**
     * A copy of a full download of {@code sha256} from the store into the cache, or {@link StreamedResponse#NO_COPY}
     * when it is not to be cached (off, too large, already cached, or being filled by another download).
     */
    public StreamedResponse.BodyCopy fill(String sha256, long size) {
        Path dir = directory;
        if (dir == null || size <= 0 || size > maxBytes) {
            return StreamedResponse.NO_COPY;
        }
        synchronized (this) {
            if (files.containsKey(sha256) || !filling.add(sha256)) {
                return StreamedResponse.NO_COPY;
            }
        }
        return new CacheFill(this, vertx, dir, sha256, size);
    }

    /** Whether {@code sha256} is cached (for tests and operators; does not count as a read). */
    public synchronized boolean holds(String sha256) {
        return directory != null && files.containsKey(sha256);
    }

    /** Where the cached files are, or null while nothing is cached. */
    public Path directory() {
        return directory;
    }

    /** Reserves {@code bytes} of the fills' budget; false (nothing reserved) when they would pass it. */
    boolean reserve(long bytes) {
        long now;
        do {
            now = waitingForDisk.get();
            if (now + bytes > diskBudget) {
                return false;
            }
        } while (!waitingForDisk.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        waitingForDisk.addAndGet(-bytes);
    }

    long diskBudget() {
        return diskBudget;
    }

    /** A fill ended without a file. */
    synchronized void fillAbandoned(String sha256) {
        filling.remove(sha256);
    }

    /** A fill renamed its file to {@code sha256} in {@code dir}: indexed, then the least recently read evicted. */
    void filled(Path dir, String sha256, long size) {
        List<String> evicted = new ArrayList<>();
        synchronized (this) {
            filling.remove(sha256);
            if (dir != directory) {
                return; // stopped meanwhile
            }
            Long previous = files.put(sha256, size);
            bytes += size - (previous == null ? 0 : previous);
            Iterator<Map.Entry<String, Long>> eldest = files.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                Map.Entry<String, Long> entry = eldest.next();
                bytes -= entry.getValue();
                evicted.add(entry.getKey());
                eldest.remove();
            }
        }
        // A download sending an evicted file keeps it open: unlinking does not cut it short.
        evicted.forEach(digest -> vertx.fileSystem().delete(dir.resolve(digest).toString()));
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized int size() {
        return files.size();
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.delete(path);
                }
            }
        }
    }
}
