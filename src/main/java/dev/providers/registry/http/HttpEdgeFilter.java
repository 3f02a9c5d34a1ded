package dev.providers.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.providers.registry.problem.Problem;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.problem.Problems;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * What every answer gets at the HTTP edge, before and after the REST layer: the request id (also in the log MDC), a
 * 413 with a problem body for a body over the {@link BodyLimit} (a declared one before reading any of it, one of
 * unknown length the moment the count passes the limit: {@link UnknownLengthBody}), JSON content types without the
 * {@code charset} parameter that the clients' exact-match check would reject, and one spelling of every header name
 * ({@link HeaderSpelling}). The upload route ({@link StreamedBodies}) is exempt from the body limit: it enforces
 * {@code registry.storage.max-wheel-size} itself.
 */
@ApplicationScoped
public class HttpEdgeFilter {

    private final ObjectMapper mapper;
    private final BodyLimit bodyLimit;

    public HttpEdgeFilter(ObjectMapper mapper, BodyLimit bodyLimit) {
        this.mapper = mapper;
        this.bodyLimit = bodyLimit;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 1000);
    }

    private void handle(RoutingContext rc) {
        String requestId = RequestIds.accept(rc.request().getHeader(RequestIds.HEADER));
        rc.request().headers().set(RequestIds.HEADER, requestId);
        // Kept on this request's duplicated context: every log line of the request carries it.
        MDC.put(LogFields.REQUEST_ID, requestId);
        HttpServerResponse response = rc.response();
        response.putHeader(RequestIds.HEADER, requestId);
        rc.addHeadersEndHandler(v -> {
            stripJsonCharset(response);
            HeaderSpelling.apply(response.headers());
        });
        PublicUrls.remember(rc.request());
        if (StreamedBodies.streams(rc)) {
            rc.next(); // the upload route limits its body itself
        } else if (bodyLimit.exceededBy(declaredLength(rc))) {
            refuseBody(rc);
        } else if (UnknownLengthBody.applies(rc.request())) {
            UnknownLengthBody.read(rc, bodyLimit, () -> refuseBody(rc));
        } else {
            rc.next();
        }
    }

    /** 413 with a problem body, at once; the rest of the body is discarded as it arrives. */
    private void refuseBody(RoutingContext rc) {
        Problem problem = Problems.body(ProblemType.PAYLOAD_TOO_LARGE, bodyLimit.detail(), null, rc.request());
        rc.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(json(problem));
    }

    private static long declaredLength(RoutingContext rc) {
        String value = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void stripJsonCharset(HttpServerResponse response) {
        String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return;
        }
        int semicolon = type.indexOf(';');
        if (semicolon > 0) {
            String base = type.substring(0, semicolon).trim();
            if (base.equalsIgnoreCase("application/json") || base.equalsIgnoreCase(Problem.MEDIA_TYPE)) {
                response.headers().set(HttpHeaders.CONTENT_TYPE, base);
            }
        }
    }

    private String json(Problem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
