package dev.providers.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.providers.registry.problem.DatabaseFailures;
import dev.providers.registry.problem.Problem;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.problem.Problems;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Answers of the routes that Vert.x serves without Quarkus REST (the streamed upload and download routes): the same
 * JSON and problem+json bodies, and the same classification of failures as {@code ProblemMappers}, so that a client
 * cannot tell which layer answered. Request id, header spelling and the JSON content type come from
 * {@link HttpEdgeFilter}, which runs before every route.
 */
@ApplicationScoped
public class RouteAnswers {

    private static final Logger LOG = Logger.getLogger(RouteAnswers.class);

    private final ObjectMapper mapper;

    public RouteAnswers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A JSON answer ({@code Content-Type: application/json} exactly). */
    public void json(RoutingContext rc, int status, Object body, Map<String, String> headers) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        headers.forEach(response::putHeader);
        response.end(Buffer.buffer(bytes(body)));
    }

    /** Answers the failure as a problem (see {@link #classify}). */
    public void failure(RoutingContext rc, Throwable failure, boolean closeConnection) {
        problem(rc, classify(rc, failure), closeConnection);
    }

    /**
     * Answers the problem, unless an answer was already sent or the client is gone. With {@code closeConnection}
     * the answer says {@code Connection: close} and the connection closes once it is written: the rest of the
     * request body will not be read.
     */
    public void problem(RoutingContext rc, ProblemException problem, boolean closeConnection) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        Problem body = Problems.body(problem.type(), problem.detail(), problem.errors(), rc.request());
        response.setStatusCode(problem.type().status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        problem.headers().forEach(response::putHeader);
        if (closeConnection) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Buffer.buffer(bytes(body))).onComplete(done -> {
            if (closeConnection && rc.request().connection() != null) {
                rc.request().connection().close();
            }
        });
    }

    /**
     * The problem a failure is answered with: a {@link ProblemException} as it is; an invalid token 401; a database
     * that does not answer 503; anything else is a bug, logged, 500.
     */
    public static ProblemException classify(RoutingContext rc, Throwable failure) {
        Throwable f = failure instanceof CompositeException composite && composite.getCause() != null
                ? composite.getCause()
                : failure;
        if (f instanceof ProblemException problem) {
            return problem;
        }
        if (f instanceof AuthenticationFailedException
                || f instanceof UnauthorizedException
                || f instanceof AuthenticationCompletionException) {
            String detail = rc.request().getHeader("Authorization") == null
                    ? "a bearer token is required"
                    : "the bearer token is invalid or expired";
            return new ProblemException(ProblemType.UNAUTHORIZED, detail, null, Map.of("WWW-Authenticate", "Bearer"));
        }
        if (DatabaseFailures.isUnavailable(f)) {
            LOG.warnf(
                    "Database unavailable for %s %s: %s",
                    rc.request().method(), rc.request().path(), f.toString());
            return new ProblemException(
                    ProblemType.DATABASE_UNAVAILABLE,
                    "the database did not answer in time; retry later",
                    null,
                    Map.of("Retry-After", "5"));
        }
        LOG.errorf(
                f,
                "Unexpected failure on %s %s",
                rc.request().method(),
                rc.request().path());
        return new ProblemException(
                ProblemType.INTERNAL, "an unexpected error occurred; it has been logged", List.of(), Map.of());
    }

    private byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serializable", e);
        }
    }
}
