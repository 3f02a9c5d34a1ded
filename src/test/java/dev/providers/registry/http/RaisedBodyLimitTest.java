package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One key sets the body limit of both paths: raised to 6M, declared and chunked bodies of 5.5 MiB are read. */
@QuarkusTest
@TestProfile(RaisedBodyLimitTest.SixMebibytes.class)
class RaisedBodyLimitTest extends RegistryTestBase {

    @TestHTTPResource("/")
    URL base;

    public static class SixMebibytes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-body-size", "6M");
        }
    }

    private static final int BETWEEN = 5 * 1024 * 1024 + 512 * 1024;

    @Test
    void bodiesBetweenTheDefaultAndTheRaisedLimitAreReadOnBothPaths() throws Exception {
        JsonObject fields =
                new JsonObject().put("name", org + "/" + unique("raised")).put("version", "1.0");
        String chunked = send(BETWEEN, "req-raised-chunked", fields, true);
        assertTrue(chunked.startsWith("HTTP/1.1 422") && chunked.contains("\"field\":\"wheel_url\""), chunked);

        String declared = send(BETWEEN, "req-raised-declared", fields, false);
        assertTrue(declared.startsWith("HTTP/1.1 422") && declared.contains("\"field\":\"wheel_url\""), declared);
    }

    @Test
    void overTheRaisedLimitTheDetailNamesIt() throws Exception {
        ChunkedBodyTest.expectTooLarge(
                send(7 * 1024 * 1024, "req-raised-chunked-over", new JsonObject(), true),
                "req-raised-chunked-over",
                "6 MiB");
        ChunkedBodyTest.expectTooLarge(
                send(7 * 1024 * 1024, "req-raised-declared-over", new JsonObject(), false),
                "req-raised-declared-over",
                "6 MiB");
    }

    private String send(int size, String requestId, JsonObject fields, boolean chunked) throws Exception {
        return RawBodies.send(
                base.getPort(), token, "POST", "/provider-versions", "", size, requestId, fields, chunked);
    }
}
