package dev.providers.registry.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request body sent without {@code Content-Length} (chunked), read on the event loop up to the {@link BodyLimit}
 * before the routes see the request. Quarkus REST would otherwise count it itself and, past the limit, end the
 * answer as an empty 413 that no filter or mapper can give a problem body (resteasy-reactive's
 * {@code VertxInputStream}). Read here, the body over the limit is answered by {@link HttpEdgeFilter} like a declared
 * one; a body within it is kept on the routing context and handed to Quarkus REST by {@link #handOver}. Bodies with a
 * declared length are left to Quarkus REST, which reads them as before.
 */
public class UnknownLengthBody {

    static boolean applies(HttpServerRequest request) {
        if (request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            return false;
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                || request.version() == HttpVersion.HTTP_2 && !request.isEnded();
    }

    /**
     * Reads the body, then continues the route; or calls {@code tooLarge} the moment the count passes the limit, then
     * discards the rest as it arrives (a client that writes its whole body before reading still gets the answer) and
     * closes the connection at its end, as the answer's {@code Connection: close} says.
     */
    static void read(RoutingContext rc, BodyLimit limit, Runnable tooLarge) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (limit.exceededBy((long) body.length() + chunk.length())) {
                refused[0] = true;
                tooLarge.run();
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (refused[0]) {
                request.connection().close();
            } else {
                rc.setBody(body);
                rc.next();
            }
        });
        if (request.version() != HttpVersion.HTTP_1_0
                && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        request.resume();
    }

    /**
     * Gives Quarkus REST the body read here: with an entity stream set, its input handler reads nothing more (the
     * request has ended, so it would otherwise see an empty body).
     */
    @ServerRequestFilter
    public void handOver(ContainerRequestContext context, RoutingContext rc) {
        Buffer body = rc.body().buffer();
        if (body != null) {
            context.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }
}
