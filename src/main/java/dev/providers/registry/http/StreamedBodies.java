package dev.providers.registry.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The one route whose body is not held to the {@link BodyLimit}: {@code POST /providers/publish} streams a wheel
 * (up to {@code registry.storage.max-wheel-size}) and enforces that limit itself, on the declared length and on the
 * count. Every other route keeps {@code quarkus.http.limits.max-body-size}.
 */
public final class StreamedBodies {

    public static final String UPLOAD_PATH = "/providers/publish";

    private StreamedBodies() {}

    static boolean streams(RoutingContext rc) {
        if (rc.request().method() != HttpMethod.POST) {
            return false;
        }
        String path = rc.normalizedPath();
        return path.equals(UPLOAD_PATH) || path.equals(UPLOAD_PATH + "/");
    }
}
