package dev.providers.registry.fetch;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.identity.WheelUrl;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.TrustOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Streams a wheel from a user-chosen HTTPS URL into a sink, under the fetch rules of API.md: redirects followed
 * by hand and each hop re-checked by the {@link FetchGuard}, connections pinned to the checked address while the
 * URL's host drives Host/SNI/certificate checks, identity encoding only, size counted per chunk, idle timeout per
 * request and one total deadline timer. Bodies declared larger than {@code registry.fetch.offload-hashing-above}
 * are fed to the sink on a small pool (see {@link HashingStage}); the sink must then not assume the event loop.
 */
@ApplicationScoped
public class WheelFetcher {

    private final Vertx vertx;
    private final FetchGuard guard;
    private final FetchLimits limits;
    private final HttpClient client;
    private final ExecutorService hashingPool = hashingPool();

    public WheelFetcher(Vertx vertx, FetchGuard guard, RegistryConfig config) {
        this.vertx = vertx;
        this.guard = guard;
        this.limits = FetchLimits.of(config.fetch());
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setDecompressionSupported(false)
                .setTryUseCompression(false)
                .setConnectTimeout((int) limits.connectTimeout().toMillis())
                // Netty's default of 8 KiB splits every 16 KiB TLS record in two: twice the per-chunk work.
                .setMaxChunkSize(64 * 1024)
                .setMaxPoolSize(64)
                .setKeepAlive(true)
                .setName("wheel-fetch");
        List<String> extraCa = config.fetch().extraCaCerts().orElse(List.of());
        if (!extraCa.isEmpty()) {
            options.setTrustOptions(TrustOptions.wrap(TrustStores.defaultsPlus(extraCa)));
        }
        this.client = vertx.createHttpClient(options);
    }

    /**
     * Fetches {@code url} into {@code sink}, one network buffer at a time, in order and from one thread at a time
     * (no copy; at most a bounded backlog of a large body waits for the sink). Completes on the caller's Vert.x
     * context, after the sink has seen every byte, so that a reactive session may be opened right after.
     */
    public Uni<FetchResult> fetch(WheelUrl url, Consumer<Buffer> sink) {
        return fetch(url, sink, length -> { });
    }

    /**
     * As {@link #fetch(WheelUrl, Consumer)}; {@code declaredLength} receives the final response's
     * {@code Content-Length}, when it has one, before the first chunk (the fetch fails if the body differs from it).
     */
    public Uni<FetchResult> fetch(WheelUrl url, Consumer<Buffer> sink, LongConsumer declaredLength) {
        Context context = vertx.getOrCreateContext();
        return Uni.createFrom().<FetchResult>emitter(emitter ->
                        new FetchAttempt(vertx, context, client, guard, limits, sink, hashingPool, declaredLength,
                                emitter).start(url))
                .emitOn(command -> context.runOnContext(v -> command.run()));
    }

    /** Shared by every large fetch; each fetch's {@link HashingStage} keeps at most one task in it at a time. */
    private static ExecutorService hashingPool() {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger created = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
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
        client.close();
    }
}
