package dev.providers.registry.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every response body shape of the API, read from the packaged application: on the native executable each one
 * depends on reflection registered at build time for the records Jackson writes (a missing registration shows as an
 * empty object or a 500, never on the JVM). Also the timestamps (UTC, microseconds), the request id a client does
 * not send ({@code UUID.randomUUID}, hence {@code SecureRandom}), the ETag digest ({@code MessageDigest}), OpenAPI
 * and the health and metrics documents.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppResource.class)
class ResponseBodiesIT extends FreshOrganizationIT {

    private static final String UTC_MICROS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Override
    protected String prefix() {
        return "shape";
    }

    @Test
    void catalogBodies() {
        String name = "shapes-" + UUID.randomUUID().toString().substring(0, 8);
        String canonical = org + "/" + name;
        Instant before = Instant.now().minus(Duration.ofMinutes(1));
        // the current body (schemas) and the legacy one (resource_schemas)
        publish(new JsonObject()
                        .put("name", canonical)
                        .put("version", "1.0.0")
                        .put("wheel_url", serve(name, "1.0.0"))
                        .put(
                                "metadata",
                                new JsonObject()
                                        .put("display_name", "Shapes")
                                        .put("tags", new JsonArray().add("native")))
                        .put(
                                "entrypoint",
                                new JsonArray().add("python").add("-m").add("shapes"))
                        .put(
                                "schemas",
                                new JsonObject()
                                        .put(
                                                "bucket",
                                                new JsonObject()
                                                        .put("description", "a bucket")
                                                        .put("config_schema", new JsonObject().put("type", "object")))))
                .statusCode(201)
                .body("entrypoint", equalTo(List.of("python", "-m", "shapes")))
                .body("schemas.resource", equalTo(List.of("bucket")))
                .body("schemas[0].description", equalTo("a bucket"))
                .body("schemas[0].config_schema.type", equalTo("object"))
                .body("created_at", matchesPattern(UTC_MICROS));
        publish(new JsonObject()
                        .put("name", canonical)
                        .put("version", "1.1.0")
                        .put("wheel_url", serve(name, "1.1.0"))
                        .put(
                                "resource_schemas",
                                new JsonObject().put("queue", new JsonObject().put("description", "a queue"))))
                .statusCode(201)
                .body("schemas.resource", equalTo(List.of("queue")))
                .body("schemas[0].description", equalTo("a queue"));

        String createdAt = given().get("/providers/" + canonical)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("ETag", matchesPattern("\"[^\"]+\""))
                .body("canonical", equalTo(canonical))
                .body("display_name", equalTo("Shapes"))
                .body("author.organization_id", equalTo(orgId))
                .body("author.kind", equalTo("customer"))
                .body("scope", equalTo("public"))
                .body("tags", equalTo(List.of("native")))
                .body("latest_version", equalTo("1.1.0"))
                .body("install_count", equalTo(0))
                .body("updated_at", matchesPattern(UTC_MICROS))
                .extract()
                .path("created_at");
        Instant created = Instant.parse(createdAt);
        assertTrue(
                created.isAfter(before) && created.isBefore(Instant.now().plus(Duration.ofMinutes(1))),
                "created_at " + createdAt + " is not now in UTC");

        given().queryParam("q", name)
                .get("/providers")
                .then()
                .statusCode(200)
                .body("$", hasKey("items"))
                .body("items.canonical", hasItem(canonical))
                .body("total", greaterThanOrEqualTo(1));
        given().get("/providers/" + canonical + "/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(List.of("1.1.0", "1.0.0")))
                .body("status", everyItem(equalTo("published")))
                .body("published_at", everyItem(matchesPattern(UTC_MICROS)));
        given().get("/providers/" + canonical + "/versions/1.0.0")
                .then()
                .statusCode(200)
                .body("wheel_sha256", matchesPattern("[0-9a-f]{64}"));

        as(token)
                .body("{\"reason\": \"broken\"}")
                .post("/providers/" + canonical + "/versions/1.0.0/yank")
                .then()
                .statusCode(200)
                .body("status", equalTo("yanked"));
        as(token)
                .body("{\"description\": \"changed\"}")
                .patch("/providers/" + canonical)
                .then()
                .statusCode(200)
                .body("description", equalTo("changed"));
        as(token)
                .get("/providers/" + canonical + "/events")
                .then()
                .statusCode(200)
                .body("items.action", hasItems("publish", "yank"))
                .body("items[0].at", matchesPattern(UTC_MICROS))
                .body("items[0].actor_org_id", equalTo(orgId));
    }

    @Test
    void identityRuntimeAndProblemBodies() {
        as(token)
                .get("/auth/me")
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(orgId))
                .body("user_id", notNullValue());
        as(token)
                .get("/organizations/" + orgId)
                .then()
                .statusCode(200)
                .body("slug", equalTo(org))
                .body("status", equalTo("active"))
                .body("created_at", matchesPattern(UTC_MICROS));
        given().get("/runtime/versions")
                .then()
                .statusCode(200)
                .body("[0].version", notNullValue())
                .body("[0].image_url", notNullValue())
                .body("[0].created_at", matchesPattern(UTC_MICROS));
        String runtime = "9." + (System.nanoTime() % 100_000) + ".0";
        as(TestTokens.publisher())
                .body(new JsonObject()
                        .put("version", runtime)
                        .put("image_url", "ghcr.io/x/rt:" + runtime)
                        .encode())
                .post("/console/runtime/versions")
                .then()
                .statusCode(201)
                .body("version", equalTo(runtime))
                .body("released_at", matchesPattern(UTC_MICROS));

        // a problem with field errors, with the request id the client sent and one the service made up
        ValidatableResponse invalid = as(token)
                .header("X-Request-Id", "shape-1")
                .body("{\"name\": \"Not A Name!\", \"version\": \"x\", \"wheel_url\": \"ftp://x\"}")
                .post("/provider-versions")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
        invalid.body("type", equalTo("urn:provider-registry:problem:validation"))
                .body("title", notNullValue())
                .body("status", equalTo(422))
                .body("request_id", equalTo("shape-1"))
                .body("errors.field", hasItems("name", "version", "wheel_url"));
        given().get("/providers/" + org + "/nothing-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("X-Request-Id", matchesPattern(UUID_PATTERN))
                .body("request_id", matchesPattern(UUID_PATTERN));
        given().contentType(ContentType.JSON)
                .body("{}")
                .put("/provider-versions")
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void openApiHealthAndMetricsDocuments() {
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("info.title", containsString("API"))
                .body("paths", hasKey("/provider-versions"))
                .body("components.schemas", hasKey("ProviderVersion"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health").then().statusCode(200).body("checks.name", hasItem(notNullValue()));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds_count"));
    }

    private ValidatableResponse publish(JsonObject body) {
        return as(token).body(body.encode()).post("/provider-versions").then();
    }

    private RequestSpecification as(String jwt) {
        return given().header("Authorization", TestTokens.bearer(jwt)).contentType(ContentType.JSON);
    }

    private static String serve(String name, String version) {
        byte[] bytes = Wheels.builder(name, version).build();
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, version);
        TestServers.wheels().serve(path, bytes);
        return "https://127.0.0.1:" + TestServers.wheels().port() + path;
    }
}
