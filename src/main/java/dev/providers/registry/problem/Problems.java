package dev.providers.registry.problem;

import dev.providers.registry.http.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Builds problem+json answers. */
public final class Problems {

    private Problems() {}

    public static Problem body(ProblemType type, String detail, List<FieldError> errors, HttpServerRequest request) {
        return new Problem(
                type.uri(),
                type.title(),
                type.status(),
                detail,
                request == null ? null : request.path(),
                request == null ? null : RequestIds.of(request),
                errors);
    }

    public static Response response(
            ProblemType type,
            String detail,
            List<FieldError> errors,
            Map<String, String> headers,
            HttpServerRequest request) {
        Response.ResponseBuilder builder =
                Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body(type, detail, errors, request));
        headers.forEach(builder::header);
        return builder.build();
    }

    public static Response response(ProblemException e, HttpServerRequest request) {
        return response(e.type(), e.detail(), e.errors(), e.headers(), request);
    }
}
