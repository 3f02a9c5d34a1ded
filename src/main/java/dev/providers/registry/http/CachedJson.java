package dev.providers.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Answers a single-resource read with a strong {@code ETag} (a digest of the exact JSON bytes), {@code 304} for a
 * matching {@code If-None-Match}, {@code Vary: Authorization} (the answer depends on who asks) and
 * {@code Cache-Control: private} for the owner's view.
 */
@ApplicationScoped
public class CachedJson {

    private final ObjectMapper mapper;

    public CachedJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Response respond(HttpHeaders request, Object body, boolean ownerView) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
        String etag = "\"" + digest(bytes) + "\"";
        Response.ResponseBuilder answer = matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), etag)
                ? Response.notModified()
                : Response.ok(bytes, MediaType.APPLICATION_JSON_TYPE);
        return answer.header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION)
                .header(HttpHeaders.CACHE_CONTROL, ownerView ? "private, no-cache" : "no-cache")
                .build();
    }

    /** Vary and Cache-Control for answers that are not single resources (lists). */
    public static Response.ResponseBuilder varying(Response.ResponseBuilder builder, boolean ownerView) {
        return builder.header(HttpHeaders.VARY, HttpHeaders.AUTHORIZATION)
                .header(HttpHeaders.CACHE_CONTROL, ownerView ? "private, no-cache" : "no-cache");
    }

    /** If-None-Match uses the weak comparison (RFC 9110 13.1.2): {@code W/} prefixes are ignored, {@code *} matches. */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String digest(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
