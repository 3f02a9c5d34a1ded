package dev.providers.registry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health, metrics and the OpenAPI document as operators and client generators read them. */
@QuarkusTest
class OperationsTest extends RegistryTestBase {

    @Test
    void healthChecksTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void metricsCountPublishesByOutcomeAndTimeFetches() {
        Served wheel = serveWheel(unique("metric"), "1.0.0");
        String name = wheel.path()
                .substring(wheel.path().lastIndexOf('/') + 1)
                .split("-1.0.0")[0]
                .replace('_', '-');
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("registry_publishes_total{outcome=\"published\"}"), "publish counter missing");
        assertTrue(metrics.contains("registry_fetch_duration_seconds_count"), "fetch timer missing");
        assertTrue(metrics.contains("registry_fetch_bytes_count"), "fetch bytes missing");
    }

    @Test
    void openApiListsTheStatusCodesTheOperationsAnswer() {
        JsonPath doc = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> delete = doc.getMap("paths.'/providers/{prefix}/{name}'.delete.responses");
        assertTrue(delete.containsKey("204") && !delete.containsKey("200"), "DELETE a provider: " + delete.keySet());
        assertEquals(
                "application/problem+json",
                doc.getMap("paths.'/providers/{prefix}/{name}'.delete.responses.'404'.content")
                        .keySet()
                        .iterator()
                        .next());
        Map<String, Object> register = doc.getMap("paths.'/console/runtime/versions'.post.responses");
        assertTrue(
                register.keySet().containsAll(List.of("201", "200", "409")),
                "register a runtime: " + register.keySet());
        Map<String, Object> publish = doc.getMap("paths.'/provider-versions'.post.responses");
        assertTrue(publish.keySet().containsAll(List.of("201", "200", "422")), "publish: " + publish.keySet());
        // the streaming Vert.x routes, described by META-INF/openapi.yaml
        Map<String, Object> upload = doc.getMap("paths.'/providers/publish'.post.responses");
        assertTrue(upload.keySet().containsAll(List.of("201", "409", "413", "422")), "upload: " + upload.keySet());
        assertTrue(
                doc.getMap("paths.'/providers/publish'.post.requestBody.content")
                        .containsKey("multipart/form-data"),
                "upload body");
        Map<String, Object> download = doc.getMap("paths.'/files/{sha256}/{filename}'.get.responses");
        assertTrue(
                download.keySet().containsAll(List.of("200", "206", "404", "416")), "download: " + download.keySet());
        Map<String, Object> console = doc.getMap("paths.'/console/provider-versions'.post.responses");
        assertTrue(
                console.keySet().containsAll(List.of("201", "200", "403", "422")),
                "console publish: " + console.keySet());
    }

    @Test
    void openApiNamesTheSchemasAndUsesSnakeCase() {
        JsonPath doc = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, Object> schemas = doc.getMap("components.schemas");
        for (String name :
                List.of("WheelProviderVersionCreate", "ProviderVersion", "ProviderVersionMetadata", "RuntimeVersion")) {
            assertTrue(schemas.containsKey(name), "schema " + name + " missing: " + schemas.keySet());
        }
        Map<String, Object> version = doc.getMap("components.schemas.ProviderVersion.properties");
        for (String property : List.of(
                "runtime_version",
                "created_at",
                "updated_at",
                "wheel_url",
                "wheel_sha256",
                "package_name",
                "source_hash",
                "build_id",
                "config_schema",
                "outputs_schema",
                "published_at",
                "error_message",
                "yanked_at",
                "yanked_reason")) {
            assertTrue(version.containsKey(property), "ProviderVersion." + property + " missing: " + version.keySet());
        }
        assertTrue(
                version.keySet().stream().noneMatch(p -> p.matches(".*[A-Z].*")),
                "camelCase property: " + version.keySet());
        Map<String, Object> create = doc.getMap("components.schemas.WheelProviderVersionCreate.properties");
        assertTrue(create.containsKey("wheel_url")
                && create.containsKey("organization_id")
                && create.containsKey("resource_schemas"));
        assertEquals(
                List.of("name", "version", "wheel_url"),
                doc.getList("components.schemas.WheelProviderVersionCreate.required"));
        assertTrue(doc.getMap("paths").containsKey("/provider-versions"));
    }

    @Test
    void byDefaultNoCorsHeadersAndForwardedHeadersAreIgnored() {
        given().header("Origin", "https://catalog.example.test")
                .get("/runtime/versions")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
        String name = unique("direct");
        Served wheel = serveWheel(name, "1.0.0");
        as(token)
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "attacker.example.test")
                .body(body(org + "/" + name, "1.0.0", wheel.url()).encode())
                .post("/provider-versions")
                .then()
                .statusCode(201)
                .header("Location", startsWith("http://localhost:"));
    }
}
