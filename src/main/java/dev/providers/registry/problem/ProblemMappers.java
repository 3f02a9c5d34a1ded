package dev.providers.registry.problem;

import com.fasterxml.jackson.core.JacksonException;
import dev.providers.registry.http.BodyLimit;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure that reaches the REST layer leaves it as application/problem+json. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final BodyLimit bodyLimit;

    public ProblemMappers(BodyLimit bodyLimit) {
        this.bodyLimit = bodyLimit;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return Problems.response(e, request);
    }

    @ServerExceptionMapper({
        AuthenticationFailedException.class,
        UnauthorizedException.class,
        AuthenticationCompletionException.class
    })
    public Response unauthorized(Exception e, HttpServerRequest request) {
        String detail = request.getHeader("Authorization") == null
                ? "a bearer token is required"
                : "the bearer token is invalid or expired";
        return Problems.response(ProblemType.UNAUTHORIZED, detail, null, Map.of("WWW-Authenticate", "Bearer"), request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return Problems.response(
                ProblemType.FORBIDDEN_NAMESPACE, "this token may not perform this operation", null, Map.of(), request);
    }

    @ServerExceptionMapper
    public Response malformed(JacksonException e, HttpServerRequest request) {
        return Problems.response(
                ProblemType.MALFORMED_BODY, "the request body is not valid JSON", null, Map.of(), request);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        String detail;
        ProblemType type;
        if (e instanceof NotFoundException) {
            type = ProblemType.NOT_FOUND;
            detail = "no resource at " + request.path();
        } else if (e instanceof NotAllowedException) {
            type = ProblemType.METHOD_NOT_ALLOWED;
            detail = "method " + request.method().name() + " is not allowed on " + request.path();
        } else if (e instanceof NotSupportedException) {
            type = ProblemType.UNSUPPORTED_MEDIA_TYPE;
            String contentType = request.getHeader("Content-Type");
            detail = "the request body must be application/json"
                    + (contentType == null ? " (no Content-Type was sent)" : "");
        } else if (e instanceof NotAcceptableException) {
            type = ProblemType.NOT_ACCEPTABLE;
            detail = "this resource answers application/json only";
        } else if (status == 413) {
            type = ProblemType.PAYLOAD_TOO_LARGE;
            detail = bodyLimit.detail();
        } else {
            type = ProblemType.forStatus(status);
            detail = status >= 500 ? "the request could not be processed" : "the request is not acceptable";
            if (status >= 500) {
                LOG.error("Unexpected web application failure", e);
            }
        }
        return Problems.response(type, detail, null, Map.of(), request);
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e, HttpServerRequest request) {
        return unexpected(e.getCause() != null ? e.getCause() : e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request) {
        if (e instanceof ProblemException problem) {
            return problem(problem, request);
        }
        if (DatabaseFailures.isUnavailable(e)) {
            LOG.warnf("Database unavailable for %s %s: %s", request.method(), request.path(), e.toString());
            return Problems.response(
                    ProblemType.DATABASE_UNAVAILABLE,
                    "the database did not answer in time; retry later",
                    null,
                    Map.of("Retry-After", "5"),
                    request);
        }
        LOG.errorf(e, "Unexpected failure on %s %s", request.method(), request.path());
        return Problems.response(
                ProblemType.INTERNAL, "an unexpected error occurred; it has been logged", List.of(), Map.of(), request);
    }
}
