package dev.providers.registry.http;

import dev.providers.registry.config.RegistryConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for the public read side only ({@code registry.cors.origins}; none by default, and then this filter does
 * nothing). A configured origin may {@code GET}/{@code HEAD} without credentials: the preflight admits no other
 * method and no {@code Authorization} header, so a browser can never send a token cross-origin and only reads what
 * anyone may read. Every other request passes through untouched.
 */
@ApplicationScoped
public class CorsFilter {

    static final String ALLOWED_METHODS = "GET, HEAD";
    /** The request headers a cross-origin read may carry besides the CORS-safelisted ones. */
    static final Set<String> ALLOWED_HEADERS = Set.of("accept", "accept-language", "content-language", "x-request-id");

    private static final String MAX_AGE_SECONDS = "600";

    private final boolean anyOrigin;
    private final Set<String> origins;

    public CorsFilter(RegistryConfig config) {
        List<String> configured = config.cors().origins().orElse(List.of());
        this.anyOrigin = configured.stream().anyMatch(o -> o.trim().equals("*"));
        this.origins = configured.stream()
                .map(CorsFilter::normalise)
                .filter(o -> !o.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    void register(@Observes Filters filters) {
        if (anyOrigin || !origins.isEmpty()) {
            filters.register(this::handle, 900); // after HttpEdgeFilter (1000): preflight answers carry a request id
        }
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || !(anyOrigin || origins.contains(normalise(origin)))) {
            rc.next();
            return;
        }
        HttpServerResponse response = rc.response();
        String allowOrigin = anyOrigin ? "*" : origin;
        if (!anyOrigin) {
            response.headers().add(HttpHeaders.VARY, "Origin");
        }
        String requestedMethod = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        if (request.method() == HttpMethod.OPTIONS && requestedMethod != null) {
            // A preflight: admitted only for a read with harmless headers; otherwise answered without CORS headers,
            // which the browser takes as a refusal.
            if (isRead(requestedMethod)
                    && headersAllowed(request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS))) {
                response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin)
                        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                        .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
                String requestedHeaders = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
                if (requestedHeaders != null && !requestedHeaders.isBlank()) {
                    response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, requestedHeaders.trim());
                }
            }
            response.setStatusCode(204).end();
            return;
        }
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, RequestIds.HEADER);
        }
        rc.next();
    }

    private static boolean isRead(String method) {
        String m = method.trim();
        return m.equals("GET") || m.equals("HEAD");
    }

    private static boolean headersAllowed(String requested) {
        if (requested == null || requested.isBlank()) {
            return true;
        }
        for (String header : requested.split(",")) {
            String name = header.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !ALLOWED_HEADERS.contains(name)) {
                return false;
            }
        }
        return true;
    }

    /** Origins compare by scheme, host and port: case-insensitively, without a trailing slash. */
    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
