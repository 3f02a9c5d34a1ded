package dev.providers.registry.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Shared helpers of the HTTP tests: unique organizations per test, wheels served over HTTPS, publish calls. */
public abstract class RegistryTestBase {

    protected String org;
    protected String orgId;
    protected String token;

    @BeforeAll
    static void readableFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeEach
    void freshOrganization() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        org = "org-" + suffix;
        orgId = "org_id_" + suffix;
        token = TestTokens.org(org, orgId);
        ensureRuntime();
    }

    protected static void ensureRuntime() {
        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                .contentType(ContentType.JSON)
                .body("{\"version\":\"1.0.0\",\"image_url\":\"ghcr.io/example/runtime:1.0.0\"}")
                .post("/console/runtime/versions")
                .then()
                .statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    protected static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Builds a real wheel for {@code distribution}/{@code pep440}, serves it, and returns its HTTPS URL. */
    protected static Served serveWheel(String distribution, String pep440) {
        byte[] wheel = Wheels.builder(distribution, pep440).build();
        return serve(Wheels.fileName(distribution, pep440), wheel);
    }

    protected static Served serve(String fileName, byte[] bytes) {
        String path = "/" + UUID.randomUUID() + "/" + fileName;
        TestServers.wheels().serve(path, bytes);
        return new Served(wheelsUrl(path), path, bytes, Wheels.sha256Hex(bytes));
    }

    protected static String wheelsUrl(String path) {
        return "https://" + TestHostResolver.WHEELS + ":" + TestServers.wheels().port() + path;
    }

    protected JsonObject body(String name, String version, String url) {
        return new JsonObject().put("name", name).put("version", version).put("wheel_url", url);
    }

    protected RequestSpecification as(String jwt) {
        return given().header("Authorization", TestTokens.bearer(jwt)).contentType(ContentType.JSON);
    }

    protected Response publish(JsonObject body) {
        return as(token).body(body.encode()).post("/provider-versions");
    }

    protected Response publish(String jwt, JsonObject body) {
        return as(jwt).body(body.encode()).post("/provider-versions");
    }

    protected ValidatableResponse expectProblem(Response response, int status, String slug) {
        return response.then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:provider-registry:problem:" + slug))
                .body("status", equalTo(status));
    }

    protected ValidatableResponse readVersion(String jwt, String canonical, String version) {
        RequestSpecification spec = jwt == null ? given() : given().header("Authorization", TestTokens.bearer(jwt));
        return spec.get("/providers/" + canonical + "/versions/" + version).then();
    }

    public record Served(String url, String path, byte[] bytes, String sha256) {}
}
