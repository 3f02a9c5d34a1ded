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
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Streams a wheel from a user-chosen HTTPS URL into a sink, under the fetch rules of API.md: redirects followed
 * by hand and each hop re-checked by the {@link FetchGuard}, connections pinned to the checked address while the
 * URL's host drives Host/SNI/certificate checks, identity encoding only, size counted per chunk, idle timeout per
 * request and one total deadline timer.
 */
@ApplicationScoped
public class WheelFetcher {

    private final Vertx vertx;
    private final FetchGuard guard;
    private final FetchLimits limits;
    private final HttpClient client;

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
     * Fetches {@code url} into {@code sink}, one network buffer at a time (no copy, no accumulation). Completes on
     * the caller's Vert.x context, so that a reactive session may be opened right after.
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
                        new FetchAttempt(vertx, context, client, guard, limits, sink, declaredLength, emitter).start(url))
                .emitOn(command -> context.runOnContext(v -> command.run()));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
