package dev.providers.registry.http;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.CapturedLogs;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a publish writes to the log: the request id and the publish fields on its lines, never a token. */
@QuarkusTest
class LogContextTest extends RegistryTestBase {

    @Test
    void aPublishLogsItsRequestIdNameVersionAddressAndOutcomeButNeverTheToken() {
        String name = unique("logged");
        Served wheel = serveWheel(name, "1.0.0");
        String requestId = "log-test-" + UUID.randomUUID();
        String wrongIssuer = TestTokens.wrongIssuer(org, orgId);
        List<CapturedLogs.Line> lines;
        try (CapturedLogs logs = CapturedLogs.install()) {
            as(token)
                    .header(RequestIds.HEADER, requestId)
                    .body(body(org + "/" + name, "1.0.0", wheel.url()).encode())
                    .post("/provider-versions")
                    .then()
                    .statusCode(201)
                    .header(RequestIds.HEADER, equalTo(requestId));
            // the same again (identical), one that fails verification, and one with a token that is refused
            as(token)
                    .body(body(org + "/" + name, "1.0.0", wheel.url()).encode())
                    .post("/provider-versions")
                    .then()
                    .statusCode(200);
            Served other = serveWheel(name, "2.0.0");
            as(token)
                    .body(body(org + "/" + name, "2.0.0", other.url())
                            .put("sha256", "0".repeat(64))
                            .encode())
                    .post("/provider-versions")
                    .then()
                    .statusCode(422);
            as(wrongIssuer)
                    .body(body(org + "/" + name, "3.0.0", other.url()).encode())
                    .post("/provider-versions")
                    .then()
                    .statusCode(401);
            lines = logs.lines();
        }

        CapturedLogs.Line published = lines.stream()
                .filter(l -> l.message().startsWith("published " + org + "/" + name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 'published' line in " + lines));
        assertEquals(requestId, published.mdc().get(LogFields.REQUEST_ID), published.toString());
        assertEquals(org + "/" + name, published.mdc().get(LogFields.PROVIDER));
        assertEquals("1.0.0", published.mdc().get(LogFields.VERSION));
        assertEquals("127.0.0.1", published.mdc().get(LogFields.WHEEL_ADDRESS));
        assertEquals("published", published.mdc().get(LogFields.OUTCOME));
        assertTrue(published.message().contains("127.0.0.1"), published.message());

        assertTrue(
                lines.stream()
                        .anyMatch(l -> "identical".equals(l.mdc().get(LogFields.OUTCOME))
                                && l.mdc().get(LogFields.REQUEST_ID) != null),
                "no line for the identical publish: " + lines);
        CapturedLogs.Line failed = lines.stream()
                .filter(l -> "sha256-mismatch".equals(l.mdc().get(LogFields.OUTCOME)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line for the failed publish: " + lines));
        assertEquals("2.0.0", failed.mdc().get(LogFields.VERSION));
        assertEquals("127.0.0.1", failed.mdc().get(LogFields.WHEEL_ADDRESS));
        assertFalse(failed.mdc().get(LogFields.REQUEST_ID).equals(requestId), "request ids leak between requests");

        for (CapturedLogs.Line line : lines) {
            String text = line + " " + line.mdc();
            for (String secret : List.of(token, wrongIssuer, token.substring(token.lastIndexOf('.') + 1))) {
                assertFalse(text.contains(secret), "a token was logged: " + text);
            }
        }
    }
}
