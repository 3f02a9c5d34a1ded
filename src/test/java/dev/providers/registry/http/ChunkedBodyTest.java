package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Bodies sent without {@code Content-Length} ({@code Transfer-Encoding: chunked}), written as raw bytes: over the
 * limit they get the same 413 problem as a declared body over it; within it they are read exactly like a declared one.
 */
@QuarkusTest
class ChunkedBodyTest extends RegistryTestBase {

    private static final int MIB = 1024 * 1024;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemOnThePublishRoute() throws Exception {
        expectTooLarge(
                chunked("POST", "/provider-versions", "", 6 * MIB, "req-chunked-publish"), "req-chunked-publish");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemOnAnotherJsonRoute() throws Exception {
        expectTooLarge(
                chunked("PATCH", "/providers/" + org + "/" + unique("big"), "", 6 * MIB, "req-chunked-patch"),
                "req-chunked-patch");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadWhole() throws Exception {
        // 1 MiB: more than Quarkus REST keeps in memory before it switches to a blocking stream (10 KiB).
        JsonObject fields =
                new JsonObject().put("name", org + "/" + unique("chunked")).put("version", "1.0");
        String answer = chunked("POST", "/provider-versions", "", MIB, "req-chunked-small", fields);
        assertTrue(answer.startsWith("HTTP/1.1 422"), answer);
        assertTrue(answer.contains("urn:provider-registry:problem:validation"), answer);
        // the fields came through: version is judged, wheel_url is missing
        assertTrue(answer.contains("\"field\":\"version\"") && answer.contains("\"field\":\"wheel_url\""), answer);
    }

    @Test
    void aChunkedBodyAfter100ContinueIsReadWhole() throws Exception {
        JsonObject fields =
                new JsonObject().put("name", org + "/" + unique("continue")).put("version", "1.0");
        String answer =
                chunked("POST", "/provider-versions", "Expect: 100-continue\r\n", 64 * 1024, "req-continue", fields);
        assertTrue(answer.startsWith("HTTP/1.1 100 Continue"), answer);
        assertTrue(answer.contains("HTTP/1.1 422") && answer.contains("\"field\":\"wheel_url\""), answer);
    }

    static void expectTooLarge(String answer, String requestId) {
        expectTooLarge(answer, requestId, "5 MiB");
    }

    static void expectTooLarge(String answer, String requestId, String limit) {
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        String lower = answer.toLowerCase();
        assertTrue(lower.contains("\r\ncontent-type: application/problem+json\r\n"), answer);
        assertTrue(lower.contains("\r\nx-request-id: " + requestId.toLowerCase() + "\r\n"), answer);
        assertTrue(lower.contains("\r\nconnection: close\r\n"), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        JsonObject problem = new JsonObject(body);
        assertEquals("urn:provider-registry:problem:payload-too-large", problem.getString("type"));
        assertEquals(413, problem.getInteger("status"));
        assertEquals("the request body exceeds the " + limit + " limit", problem.getString("detail"));
        assertEquals(requestId, problem.getString("request_id"));
    }

    private String chunked(String method, String path, String extraHeaders, int size, String requestId)
            throws Exception {
        return RawBodies.send(
                base.getPort(), token, method, path, extraHeaders, size, requestId, new JsonObject(), true);
    }

    private String chunked(
            String method, String path, String extraHeaders, int size, String requestId, JsonObject fields)
            throws Exception {
        return RawBodies.send(base.getPort(), token, method, path, extraHeaders, size, requestId, fields, true);
    }
}
