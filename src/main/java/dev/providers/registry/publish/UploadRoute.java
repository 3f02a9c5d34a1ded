package dev.providers.registry.publish;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.catalog.ProviderVersion;
import dev.providers.registry.http.BodyLimit;
import dev.providers.registry.http.MultipartParser;
import dev.providers.registry.http.RouteAnswers;
import dev.providers.registry.http.StreamedBodies;
import dev.providers.registry.problem.FieldError;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.UriBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /providers/publish}: the upload route of SDK 6+ and CLI 5+ clients, {@code multipart/form-data} with a
 * {@code metadata} form field (the publish's JSON) and then a {@code wheel} file part. The use case is
 * {@link UploadService}; this class is its HTTP side.
 *
 * <p><b>Why a Vert.x route of its own rather than a Quarkus REST resource.</b> Quarkus REST reads a multipart body
 * completely before the resource method runs: file parts ({@code @RestForm FileUpload}) are written to temporary
 * files under {@code quarkus.http.body.uploads-directory}, and the body is held to
 * {@code quarkus.http.limits.max-body-size} (5M here). A wheel of up to {@code registry.storage.max-wheel-size} must
 * instead flow through the digester and into the store as it arrives, with backpressure. Vert.x's own multipart
 * decoder ({@code setExpectMultipart} + {@code uploadHandler}) does stream file parts, but it publishes form fields
 * only when the request has ended, after the wheel that follows the {@code metadata} field (tried: the field was
 * absent when the wheel part began). So the route reads the raw request body and parses it with
 * {@link MultipartParser}, which hands the wheel part's bytes on as slices of the received chunks: nothing is
 * written to disk, and pausing the wheel part ({@link WheelPart}) pauses the connection.
 *
 * <p>The route is registered on the application router at {@link #ORDER}: after Quarkus's filters (our
 * {@code HttpEdgeFilter}: request id, header spelling; CORS; authentication, which defers the identity on the
 * routing context; authorization) and before Quarkus's body-size route (order -2), which it never reaches, so the
 * 5M limit does not apply here while every other route keeps it. Metrics (Vert.x HTTP server metrics), the log MDC
 * (the request's duplicated context) and graceful shutdown are below the router and cover it like any route.
 *
 * <p><b>Part order.</b> The {@code metadata} field must come before the {@code wheel} part (the SDK and {@code curl
 * -F} in command-line order send it so): the claim needs the metadata, and it must be made before the first byte of
 * the wheel is stored. A wheel part without a preceding metadata field is a 422 naming the order. The metadata may
 * be a plain field or a file part ({@code curl -F metadata=@meta.json}); other parts are ignored.
 *
 * <p><b>Limits.</b> A declared {@code Content-Length} over {@code max-wheel-size} plus the metadata's limit
 * ({@code quarkus.http.limits.max-body-size}) is refused before reading (413); the wheel part's count is held to
 * {@code max-wheel-size} as it streams (413 the moment it passes, and the connection closes after the answer). An
 * answer given before the body was read closes the connection ({@code Connection: close}).
 */
@ApplicationScoped
public class UploadRoute {

    /** After Quarkus's filters (authentication -200, authorization -100), before its body-size route (-2). */
    static final int ORDER = -50;

    private final CallerResolver callers;
    private final NamespacePolicy policy;
    private final PublishRequestParser parser;
    private final UploadService service;
    private final RouteAnswers answers;
    private final long requestLimit;
    private final long metadataLimit;

    public UploadRoute(
            CallerResolver callers,
            NamespacePolicy policy,
            PublishRequestParser parser,
            UploadService service,
            RouteAnswers answers,
            BodyLimit bodyLimit) {
        this.callers = callers;
        this.policy = policy;
        this.parser = parser;
        this.service = service;
        this.answers = answers;
        this.requestLimit = service.maxWheelBytes() + bodyLimit.maxBytes();
        this.metadataLimit = bodyLimit.maxBytes();
    }

    void register(@Observes Router router) {
        router.post(StreamedBodies.UPLOAD_PATH).order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (MultipartParser.boundary(request.getHeader(HttpHeaders.CONTENT_TYPE)) == null) {
            answers.problem(
                    rc,
                    new ProblemException(
                            ProblemType.UNSUPPORTED_MEDIA_TYPE,
                            "the request body must be multipart/form-data with a metadata field and then a wheel "
                                    + "file part"),
                    true);
            return;
        }
        long declared = declaredLength(request);
        if (declared > requestLimit) {
            answers.problem(rc, tooLarge(declared), true);
            return;
        }
        String boundary = MultipartParser.boundary(request.getHeader(HttpHeaders.CONTENT_TYPE));
        callers.of(rc)
                .subscribe()
                .with(
                        caller -> {
                            try {
                                policy.requireOrganization(caller);
                            } catch (ProblemException refused) {
                                answers.problem(rc, refused, true);
                                return;
                            }
                            new Upload(rc, caller, declared, boundary).start();
                        },
                        failure -> answers.failure(rc, failure, true));
    }

    private ProblemException tooLarge(long declared) {
        return new ProblemException(
                ProblemType.PAYLOAD_TOO_LARGE,
                "the request declares " + declared + " bytes; a wheel may have at most " + service.maxWheelBytes()
                        + " bytes (registry.storage.max-wheel-size)");
    }

    /** One upload request: its parts as the parser finds them. */
    private final class Upload implements MultipartParser.Listener {
        private final RoutingContext rc;
        private final Caller caller;
        private final long declared;
        private final MultipartParser parser;
        private long received;
        /** The part being read: METADATA, WHEEL, or null for a part that is ignored. */
        private String current;

        private Buffer metadata;
        private WheelPart wheel;
        private boolean requestEnded;
        private boolean failed;

        Upload(RoutingContext rc, Caller caller, long declared, String boundary) {
            this.rc = rc;
            this.caller = caller;
            this.declared = declared;
            this.parser = new MultipartParser(boundary, this);
        }

        void start() {
            HttpServerRequest request = rc.request();
            // The data handler first: setting a handler resumes the request (Quarkus keeps it paused until then).
            request.handler(this::chunk);
            request.exceptionHandler(this::requestFailed);
            request.endHandler(v -> ended());
            if (request.version() != HttpVersion.HTTP_1_0
                    && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                request.response().writeContinue();
            }
        }

        private void chunk(Buffer chunk) {
            received += chunk.length();
            if (failed) { // answered: the rest of the body is read and dropped, within the limit
                if (received > requestLimit) {
                    closeConnection();
                }
                return;
            }
            if (received > requestLimit) { // a body of unknown length (chunked) over the limit
                fail(tooLarge(received));
                return;
            }
            try {
                parser.feed(chunk);
            } catch (MultipartParser.MalformedMultipart e) {
                malformed(e);
            } catch (Throwable e) { // out of memory, say: thrown at Vert.x it would leave the request unanswered
                broken(e);
            }
        }

        @Override
        public void partBegin(MultipartParser.Part part) {
            if (failed) {
                return;
            }
            switch (part.name()) {
                case "metadata" -> {
                    if (metadata != null) {
                        fail(ProblemException.validation(
                                "metadata", "the request carries more than one metadata field"));
                        return;
                    }
                    current = "metadata";
                    metadata = Buffer.buffer();
                }
                case "wheel" -> wheelBegins(part);
                default -> current = null; // other parts are ignored
            }
        }

        @Override
        public void partData(Buffer data) {
            if (failed || current == null) {
                return;
            }
            if (current.equals("metadata")) {
                if ((long) metadata.length() + data.length() > metadataLimit) {
                    fail(new ProblemException(
                            ProblemType.PAYLOAD_TOO_LARGE,
                            "the metadata field exceeds the " + BodyLimit.human(metadataLimit) + " limit"));
                    return;
                }
                metadata.appendBuffer(data);
            } else {
                wheel.data(data);
            }
        }

        @Override
        public void partEnd() {
            if (!failed && "wheel".equals(current)) {
                wheel.end();
            }
            current = null;
        }

        private void wheelBegins(MultipartParser.Part part) {
            if (wheel != null) {
                fail(ProblemException.validation("wheel", "the request carries more than one wheel part"));
                return;
            }
            if (metadata == null || "metadata".equals(current)) {
                fail(ProblemException.validation(
                        "metadata",
                        "is required and must come before the wheel part (send the metadata field first, then the "
                                + "wheel file part)"));
                return;
            }
            PublishCommand command;
            try {
                command = parser(metadata, part.fileName());
            } catch (ProblemException refused) {
                fail(refused);
                return;
            }
            current = "wheel";
            wheel = new WheelPart(rc.request());
            rc.request().pause(); // until the claim is made and the blob staged
            Uni<PublishOutcome> published;
            try {
                published = service.publish(command, caller, wheel, declared);
            } catch (Throwable e) { // nothing was claimed: no upload to clean up, answered here
                wheel = null;
                fail(service.classify(e));
                return;
            }
            published.subscribe().with(this::created, failure -> {
                if (failure instanceof ClientGone) {
                    failed = true;
                    closeConnection();
                } else {
                    fail(failure);
                }
            });
        }

        private PublishCommand parser(Buffer metadataBytes, String fileName) {
            return UploadRoute.this.parser.parseUpload(metadataBytes.getBytes(), fileName, caller);
        }

        private void created(PublishOutcome outcome) {
            try {
                ProviderVersion v = outcome.version();
                String location = rc.request().scheme() + "://" + rc.request().authority()
                        + UriBuilder.fromPath("/providers/{prefix}/{name}/versions/{version}")
                                .build(v.prefix(), v.name(), v.version())
                                .toString();
                answers.json(rc, 201, v, Map.of("Location", location));
            } catch (Throwable e) { // Mutiny would drop it, and the client would wait for an answer forever
                answers.failure(rc, e, true);
            }
        }

        /** The request body ended: it must be complete multipart, and without a wheel part nothing is published. */
        private void ended() {
            requestEnded = true;
            if (failed) {
                return;
            }
            try {
                parser.end();
            } catch (MultipartParser.MalformedMultipart e) {
                malformed(e);
                return;
            } catch (Throwable e) {
                broken(e);
                return;
            }
            if (wheel != null) {
                return;
            }
            List<FieldError> missing = new ArrayList<>();
            if (metadata == null) {
                missing.add(new FieldError("metadata", "is required: a form field holding the publish's JSON"));
            }
            missing.add(new FieldError("wheel", "is required: a file part holding the wheel, after the metadata"));
            fail(ProblemException.validation(missing));
        }

        private void malformed(MultipartParser.MalformedMultipart e) {
            ProblemException problem =
                    ProblemException.validation("body", "is not valid multipart/form-data: " + e.getMessage());
            if (wheel != null) {
                wheel.fail(problem); // the upload in progress fails with it, cleans up and answers
                failed = true;
            } else {
                fail(problem);
            }
        }

        /**
         * Something threw while the body was read (an {@link Error} such as running out of memory). An upload in
         * progress fails with it and answers once its row is failed (as for a malformed body); before the wheel part,
         * it is answered here.
         */
        private void broken(Throwable e) {
            Throwable answer = service.classify(e);
            if (answer instanceof ClientGone) {
                failed = true;
                closeConnection();
            } else if (wheel != null) {
                wheel.fail(answer);
                failed = true;
            } else {
                fail(answer);
            }
        }

        /** The client went away (or the connection failed): an upload in progress cleans up; nobody to answer. */
        private void requestFailed(Throwable failure) {
            if (wheel != null) {
                wheel.fail(new ClientGone("the client closed the connection before the upload completed"));
            }
        }

        /**
         * Answers the failure at once. The rest of the body is then read and dropped (a client that writes its whole
         * body before it reads gets the answer), except after a 413: the connection closes after that answer.
         */
        private void fail(Throwable failure) {
            boolean first = !failed;
            failed = true;
            if (wheel != null && first) {
                wheel.fail(failure);
            }
            ProblemException problem = RouteAnswers.classify(rc, failure);
            boolean close = !requestEnded && problem.type() == ProblemType.PAYLOAD_TOO_LARGE;
            answers.problem(rc, problem, close);
            if (!requestEnded && !close) {
                rc.request().resume();
            }
        }

        private void closeConnection() {
            if (rc.request().connection() != null) {
                rc.request().connection().close();
            }
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
