package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every answer spells a header name one way ({@code Content-Type}, never {@code content-type} on one route and
 * {@code Content-Type} on another), whether our code, Quarkus REST, a Quarkus extension or Vert.x set it. HTTP clients
 * normalise header names, so the answers are read as raw bytes from a socket. Runs in the CORS profile (shared with
 * {@link ProxyAndCorsTest}, so no extra restart) to cover the CORS headers too.
 */
@QuarkusTest
@TestProfile(ProxyAndCorsTest.BehindAProxy.class)
class HeaderSpellingTest extends RegistryTestBase {

    private static final Set<String> SPELLINGS = Set.of(
            "Content-Type",
            "Content-Length",
            "Connection",
            "Location",
            "ETag",
            "Vary",
            "Cache-Control",
            "X-Request-Id",
            "WWW-Authenticate",
            "Retry-After",
            "Access-Control-Allow-Origin",
            "Access-Control-Expose-Headers",
            "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers",
            "Access-Control-Max-Age");

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyRouteSpellsItsHeaderNamesOneWay() throws IOException {
        String name = unique("spelling");
        Served wheel = serveWheel(name, "1.0.0");
        String canonical = org + "/" + name;
        String publish = body(canonical, "1.0.0", wheel.url()).encode();
        String auth = "Authorization: Bearer " + token + "\r\n";

        expect(
                "POST /provider-versions",
                post("/provider-versions", auth, "application/json", publish),
                "201",
                "Location",
                "Content-Type",
                "Content-Length",
                "X-Request-Id");
        expect(
                "POST /provider-versions again",
                post("/provider-versions", auth, "application/json", publish),
                "200",
                "Content-Type",
                "Content-Length");
        expect(
                "GET a provider",
                get("/providers/" + canonical, ""),
                "200",
                "ETag",
                "Vary",
                "Cache-Control",
                "Content-Type",
                "Content-Length");
        expect(
                "GET a version, If-None-Match",
                get("/providers/" + canonical + "/versions/1.0.0", "If-None-Match: *\r\n"),
                "304",
                "ETag",
                "Vary",
                "Cache-Control");
        expect("GET the versions", get("/providers/" + canonical + "/versions", ""), "200", "Vary", "Content-Type");
        expect("GET a search", get("/providers?q=spelling", ""), "200", "Vary", "Content-Type", "Content-Length");
        expect("GET /runtime/versions", get("/runtime/versions", ""), "200", "Content-Type", "Content-Length");
        expect("GET /auth/me", get("/auth/me", auth), "200", "Content-Type");
        expect(
                "PATCH a provider",
                raw("PATCH /providers/" + canonical + " HTTP/1.1\r\nHost: localhost\r\n" + auth
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"),
                "200",
                "Content-Type",
                "Vary");

        expect(
                "cross-origin GET",
                get("/runtime/versions", "Origin: " + ProxyAndCorsTest.CATALOG + "\r\n"),
                "200",
                "Access-Control-Allow-Origin",
                "Access-Control-Expose-Headers",
                "Vary");
        expect(
                "preflight",
                raw(
                        "OPTIONS /providers HTTP/1.1\r\nHost: localhost\r\nOrigin: " + ProxyAndCorsTest.CATALOG
                                + "\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: x-request-id\r\n\r\n"),
                "204",
                "Access-Control-Allow-Origin",
                "Access-Control-Allow-Methods",
                "Access-Control-Allow-Headers",
                "Access-Control-Max-Age");

        expect("unknown route", get("/nothing-here", ""), "404", "Content-Type", "Content-Length");
        expect(
                "unknown method",
                raw("DELETE /provider-versions HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                "405",
                "Content-Type");
        expect("other media type", post("/provider-versions", auth, "text/plain", "{}"), "415", "Content-Type");
        expect(
                "invalid token",
                get("/providers", "Authorization: Bearer not.a.token\r\n"),
                "401",
                "WWW-Authenticate",
                "Content-Type");
        expect("validation", get("/providers?limit=abc", ""), "422", "Content-Type");
        expect(
                "declared body over 5 MiB",
                raw("POST /provider-versions HTTP/1.1\r\nHost: localhost\r\n" + auth
                        + "Content-Type: application/json\r\nContent-Length: " + (6 * 1024 * 1024) + "\r\n\r\n{"),
                "413",
                "Content-Type",
                "Connection",
                "Content-Length");

        expect("readiness", get("/q/health/ready", ""), "200", "Content-Type", "Cache-Control");
        expect("liveness", get("/q/health/live", ""), "200", "Content-Type", "Cache-Control");
        expect("OpenAPI", get("/q/openapi", ""), "200", "Content-Type", "Content-Length");
        expect("OpenAPI as JSON", get("/q/openapi?format=json", ""), "200", "Content-Type", "Content-Length");
        expect("metrics", get("/q/metrics", ""), "200", "Content-Type");
    }

    /** Asserts the status, that {@code present} are among the names, and that every name has its one spelling. */
    private static void expect(String what, String head, String status, String... present) {
        String[] lines = head.split("\r\n");
        assertTrue(lines[0].startsWith("HTTP/1.1 " + status), what + " answered " + lines[0]);
        List<String> names = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            names.add(lines[i].substring(0, lines[i].indexOf(':')));
        }
        for (String name : names) {
            assertTrue(
                    SPELLINGS.contains(name),
                    what + ": header '" + name + "' is not spelled the one way; head:\n" + head);
        }
        for (String name : present) {
            assertTrue(names.contains(name), what + ": no '" + name + "' header; head:\n" + head);
        }
    }

    private String get(String path, String headers) throws IOException {
        return raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");
    }

    private String post(String path, String headers, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return raw("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Content-Type: " + contentType
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
    }

    /** Sends one request and returns the answer's status line and header lines, exactly as they came. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    return text.substring(0, end);
                }
            }
            throw new IOException("the connection closed before the end of the head: " + answer);
        }
    }
}
