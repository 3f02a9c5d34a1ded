package dev.providers.registry.simple;

import dev.providers.registry.http.CachedJson;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers of every simple index answer: a strong {@code ETag} (a digest of the exact bytes, so each form and
 * each caller's view has its own), {@code 304} for a matching {@code If-None-Match}, {@code Vary: Accept,
 * Authorization} and {@code Cache-Control: no-cache} ({@code private} as well when credentials were sent).
 */
public final class SimplePage {

    private SimplePage() {}

    static final String VARY = "Accept, Authorization";
    static final String PUBLIC = "no-cache";

    static Response respond(HttpServerRequest request, SimpleFormat format, byte[] body, boolean ownerView) {
        return respond(request, format, rendered(body), ownerView);
    }

    static Response respond(
            HttpServerRequest request, SimpleFormat format, SimplePageCache.Page page, boolean ownerView) {
        Response.ResponseBuilder answer = CachedJson.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), page.etag())
                ? Response.notModified()
                : Response.ok(page.body()).header(HttpHeaders.CONTENT_TYPE, format.contentType());
        return answer.header(HttpHeaders.ETAG, page.etag())
                .header(HttpHeaders.VARY, VARY)
                .header(HttpHeaders.CACHE_CONTROL, ownerView ? "private, " + PUBLIC : PUBLIC)
                .build();
    }

    /** The bytes of a page with their ETag (a digest of exactly these bytes). */
    static SimplePageCache.Page rendered(byte[] body) {
        return new SimplePageCache.Page(body, "\"" + digest(body) + "\"");
    }

    /** A METADATA file: its ETag is its SHA-256 (the digest the project page announces); it never changes. */
    static Response metadata(HttpServerRequest request, byte[] metadata, boolean ownerView) {
        if (metadata == null) {
            throw SimpleIndexResource.notFound("this file has no core metadata");
        }
        Map<String, String> headers = metadataHeaders(metadata, ownerView);
        Response.ResponseBuilder answer =
                CachedJson.matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), headers.get("ETag"))
                        ? Response.notModified()
                        : Response.ok(metadata);
        headers.forEach(answer::header);
        return answer.build();
    }

    /**
     * The headers of a METADATA answer ({@code Content-Type}, {@code ETag} = its SHA-256, {@code Vary},
     * {@code Cache-Control}), for the routes that serve one: {@code /simple/.../{file}.metadata} here, and the hosted
     * download route's {@code /files/{sha256}/{file}.metadata} (issue 12), which finds it with
     * {@link SimpleQueries#metadataByDigest}.
     */
    public static Map<String, String> metadataHeaders(byte[] metadata, boolean privateView) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("ETag", "\"" + sha256Hex(metadata) + "\"");
        headers.put("Vary", "Authorization");
        headers.put(
                "Cache-Control",
                privateView ? "private, max-age=31536000, immutable" : "public, max-age=31536000, immutable");
        return headers;
    }

    private static String digest(byte[] bytes) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(sha256(bytes))
                .substring(0, 32);
    }

    private static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256(bytes));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
