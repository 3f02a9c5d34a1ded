package dev.providers.registry.reliability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Requests no client library would send: oversized bodies, control characters in headers and paths. */
@QuarkusTest
class HostileHttpTest extends RegistryTestBase {

    @TestHTTPResource("/")
    URL base;

    /** Writes raw bytes and reads what comes back within 3 s (until the server closes or goes quiet). */
    private String raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && answer.size() > 200) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // the answer so far is what we judge
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aDeclaredBodyOver5MiBIsRefusedWithoutReadingIt() throws IOException {
        long started = System.nanoTime();
        // 6 MiB announced, 10 bytes sent: an answer can only come if the server does not wait for the rest.
        String answer = raw(("POST /provider-versions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + (6 * 1024 * 1024)
                        + "\r\n\r\n{\"name\":1")
                .getBytes(StandardCharsets.ISO_8859_1));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("application/problem+json") && answer.contains("payload-too-large"), answer);
        assertTrue(millis < 2500, "answered after " + millis + " ms");
    }

    @Test
    void controlCharactersInHeadersAreRefused() throws IOException {
        for (String header : new String[] {"X-Evil: a\rb", "X-Evil: a\u0000b", "X-Ev\nil: x"}) {
            String answer = raw(("GET /runtime/versions HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertFalse(
                    answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.1 500"),
                    "header " + header.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0") + " -> "
                            + answer);
        }
    }

    @Test
    void controlCharactersInPathsAndQueriesAreNeverA500() {
        for (String path : new String[] {
            "/providers/a%00b/c",
            "/providers/a/b%0d%0aX-Injected:%201",
            "/providers/a/b/versions/1.0.0%00",
            "/providers/a/b/versions/%ff%fe",
            "/providers/" + "x".repeat(3000) + "/y"
        }) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(404).contentType("application/problem+json");
        }
        given().urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + token)
                .post("/providers/" + org + "/b%00c/versions/1.0.0/yank")
                .then()
                .statusCode(404);
        expectProblem(given().urlEncodingEnabled(false).get("/providers?tags=a%00b"), 422, "validation");
        expectProblem(given().urlEncodingEnabled(false).get("/providers?q=a%00b"), 422, "validation")
                .body("errors[0].field", containsString("q"));
        given().urlEncodingEnabled(false).get("/providers?q=%ff%fe%fd").then().statusCode(200);
    }
}
