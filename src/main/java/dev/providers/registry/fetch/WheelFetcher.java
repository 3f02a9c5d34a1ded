package dev.providers.registry.fetch;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.identity.WheelUrl;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.TrustOptions;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Streams a wheel from a user-chosen HTTPS URL into a sink, on one shared Vert.x web client, under the fetch rules
 * of API.md: redirects followed by hand and each hop re-checked by the {@link FetchGuard}, connections pinned to the
 * checked address while the URL's host drives Host/SNI/certificate checks, the head checked before the body is read
 * (status, identity encoding, declared size), the body piped into the sink at the sink's pace, an idle timeout that
 * does not count the sink's pauses, and one total deadline timer.
 */
@ApplicationScoped
public class WheelFetcher {

    /** Per event loop ({@link #clients}). */
    private static final int MAX_CONNECTIONS = 64;

    private final Vertx vertx;
    private final FetchGuard guard;
    private final FetchLimits limits;
    private final WebClientOptions options;
    /**
     * One client, so one connection pool, per event loop. A kept-alive connection delivers its responses on the event
     * loop it was opened on; reused by a fetch of another loop (the pool picks the last used connection, whatever its
     * loop), every chunk of the body would be handed across threads: two loops busy and a wake-up per chunk. A
     * fetch uses the pool of its own loop, so a connection stays with the loop that opened it.
     */
    private final Map<EventLoop, WebClient> clients = new ConcurrentHashMap<>();
    /**
     * The arrays of released fetch buffers, for every loop's connections: bounded in all, whatever the number of
     * event loops, and enough for the fetches in flight (a wheel's hashing backlog is 2 MiB).
     */
    private final RecycledArrays releasedArrays = new RecycledArrays(8L * 1024 * 1024);

    private final SentRequests sentRequests = new SentRequests();
    /** The anchors of {@code registry.fetch.extra-ca-certs} plus the JVM's; null: the JVM's alone. */
    private final TrustManagerFactory trust;

    public WheelFetcher(io.vertx.mutiny.core.Vertx vertx, FetchGuard guard, RegistryConfig config) {
        // The attempt's timers and context are the core ones: its state lives on one core context.
        this.vertx = vertx.getDelegate();
        this.guard = guard;
        this.limits = FetchLimits.of(config.fetch());
        this.options = new WebClientOptions()
                .setFollowRedirects(false) // ours, each hop re-checked by the guard
                .setUserAgent("provider-registry")
                .setSsl(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setDecompressionSupported(false)
                .setTryUseCompression(false)
                .setConnectTimeout((int) limits.connectTimeout().toMillis())
                // Netty's default of 8 KiB splits every 16 KiB TLS record in two: twice the per-chunk work.
                .setMaxChunkSize(64 * 1024)
                .setKeepAlive(true)
                .setName("wheel-fetch");
        List<String> extraCa = config.fetch().extraCaCerts().orElse(List.of());
        this.trust = extraCa.isEmpty() ? null : TrustStores.defaultsPlus(extraCa);
        if (trust != null) {
            options.setTrustOptions(TrustOptions.wrap(trust));
        }
    }

    private WebClient clientFor(Context context) {
        return clients.computeIfAbsent(((ContextInternal) context).nettyEventLoop(), loop -> newClient());
    }

    private WebClient newClient() {
        // Built on the core client for its connect hook: each connection gets the heap allocator before it reads.
        HeapBufferAllocator allocator = new HeapBufferAllocator(releasedArrays);
        io.vertx.core.http.HttpClient http = vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS))
                .withConnectHandler(allocator::install)
                .build();
        WebClient client = WebClient.wrap(io.vertx.mutiny.core.http.HttpClient.newInstance(http), options);
        // The Mutiny client has no interceptors: they are an extension point of the core client only.
        ((WebClientInternal) client.getDelegate()).addInterceptor(sentRequests);
        return client;
    }

    /**
     * Fetches {@code url} into {@code sink}: the final response's body is piped into it, one network buffer at a
     * time and in order, paused while the sink's write queue is full; the sink is ended when the body is. Completes
     * on the caller's Vert.x context once the sink's end has completed, so that a reactive session may be opened
     * right after; fails with a {@link FetchFailure}.
     *
     * @param declaredLength receives the final response's {@code Content-Length}, when it has one, before the first
     *                       byte reaches the sink (the fetch fails if the body differs from it)
     */
    public Uni<FetchResult> fetch(WheelUrl url, WriteStream<Buffer> sink, LongConsumer declaredLength) {
        Context context = vertx.getOrCreateContext();
        return Uni.createFrom()
                .<FetchResult>emitter(emitter -> new FetchAttempt(
                                vertx,
                                context,
                                clientFor(context),
                                sentRequests,
                                guard,
                                limits,
                                sink,
                                declaredLength,
                                emitter)
                        .start(url))
                .emitOn(command -> context.runOnContext(v -> command.run()));
    }

    /**
     * Gives back a chunk of a fetched body that the sink is done with: for the sink that is a chunk's last consumer
     * and keeps no reference to it (a {@code WheelDigester} once it has hashed it). The array under the chunk then
     * serves the next fetch buffers instead of becoming garbage ({@link RecycledArrays}). Any other buffer is left
     * alone.
     */
    public static void giveBack(Buffer chunk) {
        HeapBufferAllocator.giveBack(chunk);
    }

    /** Bytes of released fetch buffers kept for reuse. */
    long keptBufferBytes() {
        return releasedArrays.keptBytes();
    }

    /**
     * Does ahead of the first fetch the TLS work that a fresh process otherwise pays on its first HTTPS connection:
     * the one-time set-up of JSSE and Netty (protocol and cipher suite tables, the client context with this fetcher's
     * trust anchors) and a client hello (its key shares). Touches no network; the client then builds its own context
     * on its first connection, from set-up that is done.
     */
    public void prepareTls() {
        try {
            SslContext context = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(trust)
                    .build();
            SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, "tls-preparation.invalid", 443);
            engine.beginHandshake();
            engine.wrap(
                    ByteBuffer.allocate(0),
                    ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
            engine.closeOutbound();
        } catch (SSLException e) {
            // the first fetch does the same work and reports what fails
        }
    }

    @PreDestroy
    void close() {
        clients.values().forEach(WebClient::close);
    }
}
