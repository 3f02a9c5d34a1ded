package dev.providers.registry.fetch;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A web client interceptor that hands each fetch the core request under its {@link HttpRequest} once it is sent.
 * The web client has no way to cancel a request, and leaves a response it did not read (a refused head, a redirect)
 * paused on its connection; a fetch that gives up on a request resets it through this handle, which frees the
 * connection at once. Interceptors are the web client's extension point (its session and OAuth2 clients use them).
 */
final class SentRequests implements Handler<HttpContext<?>> {

    private final Map<HttpRequest<?>, Consumer<HttpClientRequest>> waiting = new ConcurrentHashMap<>();

    /** {@code onSent} receives the core request of {@code request} when it is sent (never if it cannot connect). */
    void watch(HttpRequest<?> request, Consumer<HttpClientRequest> onSent) {
        waiting.put(request, onSent);
    }

    void forget(HttpRequest<?> request) {
        waiting.remove(request);
    }

    @Override
    public void handle(HttpContext<?> context) {
        if (context.phase() == ClientPhase.SEND_REQUEST) {
            Consumer<HttpClientRequest> onSent = waiting.remove(context.request());
            if (onSent != null) {
                onSent.accept(context.clientRequest());
            }
        }
        context.next();
    }
}
