package dev.providers.registry.http;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        expectTooLarge(chunked("POST", "/provider-versions", "", 6 * MIB, "req-chunked-publish"), "req-chunked-publish");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemOnAnotherJsonRoute() throws Exception {
        expectTooLarge(chunked("PATCH", "/providers/" + org + "/" + unique("big"), "", 6 * MIB, "req-chunked-patch"),
                "req-chunked-patch");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadWhole() throws Exception {
        // 1 MiB: more than Quarkus REST keeps in memory before it switches to a blocking stream (10 KiB).
        JsonObject fields = new JsonObject().put("name", org + "/" + unique("chunked")).put("version", "1.0");
        String answer = chunked("POST", "/provider-versions", "", MIB, "req-chunked-small", fields);
        assertTrue(answer.startsWith("HTTP/1.1 422"), answer);
        assertTrue(answer.contains("urn:provider-registry:problem:validation"), answer);
        // the fields came through: version is judged, wheel_url is missing
        assertTrue(answer.contains("\"field\":\"version\"") && answer.contains("\"field\":\"wheel_url\""), answer);
    }

    @Test
    void aChunkedBodyAfter100ContinueIsReadWhole() throws Exception {
        JsonObject fields = new JsonObject().put("name", org + "/" + unique("continue")).put("version", "1.0");
        String answer = chunked("POST", "/provider-versions", "Expect: 100-continue\r\n", 64 * 1024, "req-continue",
                fields);
        assertTrue(answer.startsWith("HTTP/1.1 100 Continue"), answer);
        assertTrue(answer.contains("HTTP/1.1 422") && answer.contains("\"field\":\"wheel_url\""), answer);
    }

    private static void expectTooLarge(String answer, String requestId) {
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        String lower = answer.toLowerCase();
        assertTrue(lower.contains("\r\ncontent-type: application/problem+json\r\n"), answer);
        assertTrue(lower.contains("\r\nx-request-id: " + requestId.toLowerCase() + "\r\n"), answer);
        assertTrue(lower.contains("\r\nconnection: close\r\n"), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        JsonObject problem = new JsonObject(body);
        assertEquals("urn:provider-registry:problem:payload-too-large", problem.getString("type"));
        assertEquals(413, problem.getInteger("status"));
        assertEquals("the request body exceeds the 5 MiB limit", problem.getString("detail"));
        assertEquals(requestId, problem.getString("request_id"));
    }

    private String chunked(String method, String path, String extraHeaders, int size, String requestId)
            throws Exception {
        return chunked(method, path, extraHeaders, size, requestId, new JsonObject());
    }

    /**
     * Sends {@code fields} padded with an ignored field to {@code size} bytes as 64 KiB chunks from a writer thread
     * (the server may answer and close before the last chunk) and returns everything read back.
     */
    private String chunked(String method, String path, String extraHeaders, int size, String requestId,
            JsonObject fields) throws Exception {
        String prefix = fields.copy().put("padding", "").encode();
        prefix = prefix.substring(0, prefix.length() - 2); // open string of the padding field
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, body, 0, start.length);
        body[size - 2] = '"';
        body[size - 1] = '}';
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Request-Id: " + requestId
                + "\r\n" + extraHeaders + "\r\n";
        boolean waitForContinue = extraHeaders.contains("100-continue");
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (waitForContinue) {
                readUntil(in, answer, "\r\n\r\n");
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < body.length; off += 64 * 1024) {
                        int n = Math.min(64 * 1024, body.length - off);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body, off, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the server answered and closed: what it answered is what we judge
                }
            });
            readAll(in, answer);
            writer.cancel(true);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static void readUntil(InputStream in, ByteArrayOutputStream answer, String end) throws IOException {
        while (!answer.toString(StandardCharsets.ISO_8859_1).contains(end)) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            answer.write(b);
        }
    }

    /** Reads until the server closes, or the answer is complete per its Content-Length. */
    private static void readAll(InputStream in, ByteArrayOutputStream answer) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                    return;
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // the answer so far is what we judge
        }
    }

    private static boolean complete(String text) {
        int lastHead = text.lastIndexOf("HTTP/1.1 ");
        String last = text.substring(lastHead);
        if (last.startsWith("HTTP/1.1 100")) {
            return false;
        }
        int headEnd = last.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = last.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length: ");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
        return last.length() - headEnd - 4 >= length;
    }
}
