package dev.providers.registry.files;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.CallerResolver;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.http.CachedJson;
import dev.providers.registry.http.RequestIds;
import dev.providers.registry.http.RouteAnswers;
import dev.providers.registry.http.StreamedResponse;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.simple.SimplePage;
import dev.providers.registry.simple.SimpleQueries;
import dev.providers.registry.storage.LocalFileCache;
import dev.providers.registry.storage.StorageKind;
import dev.providers.registry.storage.WheelStore;
import dev.providers.registry.storage.WheelStores;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET} and {@code HEAD /files/{sha256}/{filename}}: a hosted wheel, content-addressed, as runtimes install it
 * from a hosted version's {@code wheel_url}. A Vert.x route of its own (like the upload route), so that the body
 * streams from the store with backpressure ({@link StreamedResponse}) and the headers are exactly these:
 * {@code Content-Length}, a strong {@code ETag} (the digest), {@code Content-Type: application/octet-stream},
 * {@code Accept-Ranges: bytes}, and {@code Cache-Control: public, max-age=31536000, immutable} (the bytes under a
 * digest never change), or {@code private} with {@code Vary: Authorization} for a tenant-scope provider's file,
 * which only its owner's token may read (404 for anyone else, never 403). Yanked versions and deleted providers'
 * tombstoned versions stay downloadable. One {@code Range} is honoured (206, or 416 with
 * {@code Content-Range: bytes *}{@code /size}); several ranges, or a malformed header, get the whole file (200), as
 * does an {@code If-Range} that is not the current ETag; a matching {@code If-None-Match} is 304. A file in this
 * node's {@link LocalFileCache} is sent from there (after the same visibility check), and a full download from the
 * store fills it on the side.
 */
@ApplicationScoped
public class FileRoute {

    /** Same place as the upload route: after Quarkus's filters (authentication), before its body-size route. */
    static final int ORDER = -50;

    static final String IMMUTABLE = "max-age=31536000, immutable";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String METADATA_SUFFIX = ".metadata";

    private final CallerResolver callers;
    private final NamespacePolicy policy;
    private final HostedFiles files;
    private final WheelStores stores;
    private final RouteAnswers answers;
    private final SimpleQueries metadata;
    private final LocalFileCache cache;

    public FileRoute(
            CallerResolver callers,
            NamespacePolicy policy,
            HostedFiles files,
            WheelStores stores,
            RouteAnswers answers,
            SimpleQueries metadata,
            LocalFileCache cache) {
        this.metadata = metadata;
        this.cache = cache;
        this.callers = callers;
        this.policy = policy;
        this.files = files;
        this.stores = stores;
        this.answers = answers;
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.GET, "/files/:sha256/:filename").order(ORDER).handler(this::handle);
        router.route(HttpMethod.HEAD, "/files/:sha256/:filename").order(ORDER).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String sha256 = rc.pathParam("sha256");
        String fileName = rc.pathParam("filename");
        if (sha256 == null || !SHA256.matcher(sha256).matches() || fileName == null || fileName.isEmpty()) {
            answers.problem(rc, notFound(rc), false);
            return;
        }
        if (fileName.endsWith(METADATA_SUFFIX)) {
            serveMetadata(rc, sha256, fileName.substring(0, fileName.length() - METADATA_SUFFIX.length()));
            return;
        }
        callers.of(rc)
                .flatMap(caller -> files.find(sha256, fileName).map(found -> visible(found, caller)))
                .subscribe()
                .with(
                        file -> {
                            if (file.isEmpty()) {
                                answers.problem(rc, notFound(rc), false);
                            } else {
                                serve(rc, sha256, file.get());
                            }
                        },
                        failure -> answers.failure(rc, failure, false));
    }

    /**
     * PEP 658: the wheel's METADATA file at its download URL + {@code .metadata}, as the simple index announces it
     * (captured while the wheel streamed at publish); 404 when there is none or the caller may not see the file.
     */
    private void serveMetadata(RoutingContext rc, String sha256, String wheelFileName) {
        callers.of(rc)
                .flatMap(caller -> metadata.metadataByDigest(sha256, wheelFileName, caller))
                .subscribe()
                .with(
                        found -> {
                            if (found == null) {
                                answers.problem(rc, notFound(rc), false);
                                return;
                            }
                            HttpServerResponse response = rc.response();
                            Map<String, String> headers = SimplePage.metadataHeaders(found.bytes(), found.tenant());
                            headers.forEach(response::putHeader);
                            if (CachedJson.matches(
                                    rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), headers.get("ETag"))) {
                                response.setStatusCode(304).end();
                            } else if (rc.request().method() == HttpMethod.HEAD) {
                                response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(found.bytes().length))
                                        .end();
                            } else {
                                response.end(Buffer.buffer(found.bytes()));
                            }
                        },
                        failure -> answers.failure(rc, failure, false));
    }

    /** A public provider's file, or a tenant-scope one the caller owns; public ones first. */
    private Optional<HostedFiles.HostedFile> visible(List<HostedFiles.HostedFile> found, Caller caller) {
        return found.stream()
                .filter(f -> !f.tenantScope())
                .findFirst()
                .or(() -> found.stream()
                        .filter(f -> policy.isOwner(caller, f.prefix(), f.ownerOrgId()))
                        .findFirst());
    }

    private void serve(RoutingContext rc, String sha256, HostedFiles.HostedFile file) {
        Optional<WheelStore> store = stores.of(file.backend());
        if (store.isEmpty()) {
            answers.problem(
                    rc,
                    new ProblemException(
                            ProblemType.STORAGE_UNAVAILABLE,
                            "the file is in the " + file.backend().column()
                                    + " wheel store, which this instance is not configured to reach",
                            null,
                            Map.of()),
                    false);
            return;
        }
        HttpServerResponse response = rc.response();
        String etag = "\"" + sha256 + "\"";
        response.putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, (file.tenantScope() ? "private, " : "public, ") + IMMUTABLE)
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (file.tenantScope()) {
            response.putHeader(HttpHeaders.VARY, "Authorization");
        }
        if (CachedJson.matches(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        long size = file.size();
        String ifRange = rc.request().getHeader("If-Range");
        ByteRange range = ifRange != null && !ifRange.trim().equals(etag)
                ? null
                : ByteRange.parse(rc.request().getHeader("Range"), size);
        if (range == ByteRange.UNSATISFIABLE) {
            response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            answers.problem(
                    rc,
                    new ProblemException(
                            ProblemType.RANGE_NOT_SATISFIABLE,
                            "the requested range is outside the file's " + size + " bytes",
                            null,
                            Map.of()),
                    false);
            return;
        }
        long first = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        if (range != null) {
            response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(size));
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
                .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        if (rc.request().method() == HttpMethod.HEAD || length == 0) {
            response.end();
            return;
        }
        Path cached = cache.lookup(sha256);
        if (cached == null) {
            StreamedResponse.BodyCopy copy = range == null ? cache.fill(sha256, size) : StreamedResponse.NO_COPY;
            stream(rc, file, store.get(), first, length, copy);
            return;
        }
        // Zero-copy on plain HTTP (a FileRegion); the headers set above are kept as they are.
        response.sendFile(cached.toString(), first, length).onFailure(failure -> {
            if (!response.headWritten() && !response.closed()) { // the file vanished: the store has it
                cache.forget(sha256);
                stream(rc, file, store.get(), first, length, StreamedResponse.NO_COPY);
            }
        });
    }

    private void stream(
            RoutingContext rc,
            HostedFiles.HostedFile file,
            WheelStore store,
            long first,
            long length,
            StreamedResponse.BodyCopy copy) {
        HttpServerResponse response = rc.response();
        StreamedResponse.send(response, store.read(file.key(), first, length), copy, failure -> {
            String requestId = response.headers().get(RequestIds.HEADER);
            response.headers().clear();
            response.setStatusCode(200);
            if (requestId != null) {
                response.putHeader(RequestIds.HEADER, requestId);
            }
            answers.failure(rc, storeFailure(failure, file.backend()), false);
        });
    }

    private static Throwable storeFailure(Throwable failure, StorageKind store) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        // Only where the store is the database: S3 refusing a connection is the store's outage, not the database's.
        if (store == StorageKind.POSTGRES && dev.providers.registry.problem.DatabaseFailures.isUnavailable(failure)) {
            return failure; // answered 503 database-unavailable
        }
        return new ProblemException(
                ProblemType.STORAGE_UNAVAILABLE,
                "the wheel store did not answer; retry later",
                null,
                Map.of("Retry-After", "5"));
    }

    private static ProblemException notFound(RoutingContext rc) {
        return new ProblemException(
                ProblemType.NOT_FOUND, "no file at " + rc.request().path());
    }
}
