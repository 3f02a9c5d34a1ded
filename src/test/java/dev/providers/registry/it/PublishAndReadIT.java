package dev.providers.registry.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The main publish and read flows against the packaged application (the fast-jar here, the native executable with
 * {@code -Dnative}): real HTTPS fetches from 127.0.0.1, real JWTs, a real PostgreSQL.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppResource.class)
class PublishAndReadIT extends FreshOrganizationIT {

    @Override
    protected String prefix() {
        return "it";
    }

    @Test
    void healthAndBootstrapRuntime() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/runtime/versions")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("version", hasItem("1.0.0"));
    }

    @Test
    void publishThenReadBackThenRepublish() {
        String name = unique("flow");
        Wheel wheel = serve(name, "1.2.3b1", "1.2.3-beta.1");
        JsonObject body = new JsonObject()
                .put("name", org + "/" + name)
                .put("version", "1.2.3-beta.1")
                .put("wheel_url", wheel.url())
                .put("sha256", wheel.sha256())
                .put(
                        "metadata",
                        new JsonObject()
                                .put("display_name", "Flow")
                                .put("tags", new io.vertx.core.json.JsonArray().add("it")));

        as(token)
                .header("X-Request-Id", "it-publish-1")
                .body(body.encode())
                .post("/provider-versions")
                .then()
                .statusCode(201)
                .contentType("application/json")
                .header("X-Request-Id", equalTo("it-publish-1"))
                .header("Location", endsWith("/providers/" + org + "/" + name + "/versions/1.2.3-beta.1"))
                .body("status", equalTo("published"))
                .body("canonical", equalTo(org + "/" + name))
                .body("wheel_sha256", equalTo(wheel.sha256()))
                .body("runtime_version", equalTo("1.0.0"))
                .body("published_at", notNullValue());

        // public read, no token
        given().get("/providers/" + org + "/" + name + "/versions/1.2.3-beta.1")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("version", equalTo("1.2.3-beta.1"))
                .body("wheel_url", equalTo(wheel.url()))
                .body("package_name", equalTo(name.replace('-', '_')))
                .body("error_message", nullValue());

        // identical again: 200 without a fetch; other content for the same version: 409
        int fetches = TestServers.wheels().requestCount(wheel.path());
        as(token)
                .body(body.encode())
                .post("/provider-versions")
                .then()
                .statusCode(200)
                .body("status", equalTo("published"));
        assertEquals(fetches, TestServers.wheels().requestCount(wheel.path()));
        Wheel other = serve(name, "1.2.3b1", "1.2.3-beta.1");
        as(token)
                .body(body.copy()
                        .put("wheel_url", other.url())
                        .put("sha256", other.sha256())
                        .encode())
                .post("/provider-versions")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:provider-registry:problem:version-immutable"));
    }

    @Test
    void failuresAreProblemsNeverServerErrors() {
        String name = unique("bad");
        Wheel wheel = serve(name, "1.0.0", "1.0.0");
        // digest mismatch: 422, recorded on the row, which only its owner reads
        as(token)
                .body(new JsonObject()
                        .put("name", org + "/" + name)
                        .put("version", "1.0.0")
                        .put("wheel_url", wheel.url())
                        .put("sha256", "0".repeat(64))
                        .encode())
                .post("/provider-versions")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:provider-registry:problem:sha256-mismatch"))
                .body("request_id", notNullValue());
        given().get("/providers/" + org + "/" + name + "/versions/1.0.0").then().statusCode(404);
        given().header("Authorization", TestTokens.bearer(token))
                .get("/providers/" + org + "/" + name + "/versions/1.0.0")
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_message", containsString("SHA-256"));
        // no token, a token from another issuer, malformed JSON, a URL outside the allow-list
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/provider-versions")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        as(TestTokens.wrongIssuer(org, orgId))
                .body("{}")
                .post("/provider-versions")
                .then()
                .statusCode(401);
        as(token)
                .body("{\"name\": ")
                .post("/provider-versions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        as(token)
                .body(new JsonObject()
                        .put("name", org + "/" + name)
                        .put("version", "1.0.0")
                        .put(
                                "wheel_url",
                                "https://127.0.0.3:" + TestServers.wheels().port() + "/"
                                        + Wheels.fileName(name, "1.0.0"))
                        .encode())
                .post("/provider-versions")
                .then()
                .statusCode(422)
                .body("type", equalTo("urn:provider-registry:problem:url-not-allowed"));
    }

    @Test
    void tokenEndpointsAndMetrics() {
        as(token).get("/auth/me").then().statusCode(200).body("organization_id", equalTo(orgId));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
        given().get("/no/such/route").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void jsonLogLinesCarryTheRequestIdAndThePublishButNoToken() throws Exception {
        String name = unique("logged");
        Wheel wheel = serve(name, "1.0.0", "1.0.0");
        String requestId = "it-log-" + UUID.randomUUID();
        as(token)
                .header("X-Request-Id", requestId)
                .body(new JsonObject()
                        .put("name", org + "/" + name)
                        .put("version", "1.0.0")
                        .put("wheel_url", wheel.url())
                        .encode())
                .post("/provider-versions")
                .then()
                .statusCode(201);
        // The launched application's output (JSON lines in the prod profile) goes to target/quarkus.log.
        Path log = Path.of("target", "quarkus.log");
        JsonObject line = null;
        for (int i = 0; i < 50 && line == null; i++) {
            line = Files.readAllLines(log).stream()
                    .filter(l -> l.contains(requestId))
                    .map(JsonObject::new)
                    .filter(j -> j.getString("message").startsWith("published "))
                    .findFirst()
                    .orElse(null);
            if (line == null) {
                Thread.sleep(100);
            }
        }
        assertNotNull(line, "no JSON log line of the publish " + requestId);
        JsonObject mdc = line.getJsonObject("mdc");
        assertEquals(requestId, mdc.getString("request_id"));
        assertEquals(org + "/" + name, mdc.getString("provider"));
        assertEquals("1.0.0", mdc.getString("version"));
        assertEquals("127.0.0.1", mdc.getString("wheel_address"));
        assertEquals("published", mdc.getString("outcome"));
        String all = Files.readString(log);
        assertFalse(all.contains(token.substring(token.lastIndexOf('.') + 1)), "a token was logged");
    }

    private RequestSpecification as(String jwt) {
        return given().header("Authorization", TestTokens.bearer(jwt)).contentType(ContentType.JSON);
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A real wheel served over HTTPS at an IP-literal URL (the packaged application has no test resolver). */
    private static Wheel serve(String name, String pep440, String semver) {
        byte[] bytes = Wheels.builder(name, pep440).build();
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, pep440);
        TestServers.wheels().serve(path, bytes);
        return new Wheel("https://127.0.0.1:" + TestServers.wheels().port() + path, path, Wheels.sha256Hex(bytes));
    }

    private record Wheel(String url, String path, String sha256) {}
}
