package dev.providers.registry.wheel;

import dev.providers.registry.config.RegistryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens one {@link WheelDigester} per wheel, with the configured limits and the shared hashing pool. */
@ApplicationScoped
public class WheelDigesters {

    private final long maxBytes;
    private final int maxCentralDirectory;
    private final long offloadAbove;
    private final ExecutorService hashingPool = hashingPool();

    public WheelDigesters(RegistryConfig config) {
        this.maxBytes = config.fetch().maxWheelSize().asLongValue();
        this.maxCentralDirectory = (int)
                Math.min(Integer.MAX_VALUE, config.fetch().maxCentralDirectory().asLongValue());
        this.offloadAbove = config.fetch().offloadHashingAbove().asLongValue();
    }

    public WheelDigester open() {
        return open(maxBytes);
    }

    /** A digester with a size limit of its own (uploads: {@code registry.storage.max-wheel-size}). */
    public WheelDigester open(long maxBytes) {
        return new WheelDigester(new WheelStreamVerifier(maxCentralDirectory), maxBytes, offloadAbove, hashingPool);
    }

    /** Shared by every large wheel; each wheel's {@link HashingStage} keeps at most one task in it at a time. */
    private static ExecutorService hashingPool() {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger created = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "wheel-hashing-" + created.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true); // no idle threads between large publishes (scale-to-zero hosting)
        return pool;
    }

    @PreDestroy
    void close() {
        hashingPool.shutdownNow();
    }
}
