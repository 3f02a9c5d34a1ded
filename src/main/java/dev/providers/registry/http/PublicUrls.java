package dev.providers.registry.http;

import dev.providers.registry.config.RegistryConfig;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Absolute URLs of this registry, for answers that carry one (a hosted version's {@code wheel_url}):
 * {@code registry.public-url} when set, else the scheme and host of the request being answered (the forwarded ones
 * when proxy forwarding is on: Quarkus then hands every route the request as the proxy saw it). The request is
 * remembered on its duplicated Vert.x context by {@link HttpEdgeFilter}, so that services and mappers, which do not
 * see it, build the URL of the request they serve.
 */
@ApplicationScoped
public class PublicUrls {

    private static final String REQUEST = PublicUrls.class.getName() + ".request";

    private final Optional<String> configured;

    public PublicUrls(RegistryConfig config) {
        this.configured = config.publicUrl().map(PublicUrls::withoutTrailingSlash);
    }

    static void remember(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        if (context != null && VertxContext.isDuplicatedContext(context)) {
            ContextLocals.put(REQUEST, request);
        }
    }

    /** e.g. {@code https://registry.example.com}; empty when neither the configuration nor a request gives one. */
    public String base() {
        if (configured.isPresent()) {
            return configured.get();
        }
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return "";
        }
        HttpServerRequest request =
                ContextLocals.<HttpServerRequest>get(REQUEST).orElse(null);
        if (request == null || request.authority() == null) {
            return "";
        }
        return request.scheme() + "://" + request.authority();
    }

    private static String withoutTrailingSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
