package dev.providers.registry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Problem bodies for framework errors, strict validation, exact JSON content types, request ids. */
@QuarkusTest
class HttpContractTest extends RegistryTestBase {

    @Test
    void everyBadFieldIsReportedAtOnceWithoutCoercion() {
        String body =
                "{\"name\": 42, \"version\": \"1.0\", \"wheel_url\": \"http://x.test/a.whl\", \"sha256\": \"ABC\", "
                        + "\"package_name\": \"1bad\", \"metadata\": {\"display_name\": \"" + "d".repeat(101)
                        + "\", \"tags\": [1]}, "
                        + "\"entrypoint\": [], \"changelog\": 7, \"schemas\": {\"vm\": {\"resource\": \"other\"}}}";
        expectProblem(as(token).body(body).post("/provider-versions"), 422, "validation")
                .body(
                        "errors.field",
                        hasItems(
                                "name",
                                "version",
                                "wheel_url",
                                "sha256",
                                "package_name",
                                "metadata.display_name",
                                "metadata.tags[0]",
                                "entrypoint",
                                "changelog",
                                "schemas.vm.resource"))
                .body("errors.find { it.field == 'name' }.message", containsString("must be a string"))
                .body("detail", containsString("fields are invalid"))
                .body("instance", equalTo("/provider-versions"))
                .body("request_id", notNullValue());
    }

    @Test
    void requiredFieldsAreNamed() {
        expectProblem(as(token).body("{}").post("/provider-versions"), 422, "validation")
                .body("errors.field", hasItems("name", "version", "wheel_url"))
                .body("errors", hasSize(3));
    }

    @Test
    void nulAndLoneSurrogatesAreRefused() {
        expectProblem(
                        as(token)
                                .body(
                                        "{\"name\": \"a\\u0000b\", \"version\": \"1.0.0\", \"wheel_url\": \"https://x.test/a-1.0.0-py3-none-any.whl\", "
                                                + "\"schemas\": {\"vm\": {\"description\": \"\\ud800\"}}}")
                                .post("/provider-versions"),
                        422,
                        "validation")
                .body("errors.field", hasItems("name", "schemas.vm.description"));
    }

    @Test
    void malformedBodiesAre400() {
        for (String body : new String[] {"{", "[]", "\"text\"", "{\"a\": 1, \"a\": 2}", "{} {}", ""}) {
            expectProblem(as(token).body(body).post("/provider-versions"), 400, "malformed-body")
                    .body("detail", notNullValue());
        }
        byte[] invalidUtf8 = {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        expectProblem(as(token).body(invalidUtf8).post("/provider-versions"), 400, "malformed-body");
    }

    @Test
    void otherMediaTypesAre415() {
        expectProblem(
                given().header("Authorization", TestTokens.bearer(token))
                        .contentType(ContentType.TEXT)
                        .body("{}")
                        .post("/provider-versions"),
                415,
                "unsupported-media-type");
    }

    @Test
    void bodiesOver5MiBAre413WithAProblem() {
        byte[] big = new byte[5 * 1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        expectProblem(as(token).body(big).post("/provider-versions"), 413, "payload-too-large");
    }

    @Test
    void unknownRoutesAndMethodsHaveProblems() {
        expectProblem(given().get("/nothing-here"), 404, "not-found");
        expectProblem(given().delete("/provider-versions"), 405, "method-not-allowed");
        expectProblem(given().get("/providers/nobody/nothing/versions/1.0.0"), 404, "not-found")
                .body("detail", equalTo("provider nobody/nothing does not exist"));
    }

    @Test
    void successfulJsonIsExactlyApplicationJsonEverywhere() {
        given().get("/runtime/versions")
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .body("size()", Matchers.greaterThan(0));
        as(token).get("/auth/me").then().statusCode(200).contentType(equalTo("application/json"));
        as(token).get("/organizations/" + orgId).then().statusCode(200).contentType(equalTo("application/json"));
        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                .contentType(ContentType.JSON)
                .body("{\"version\":\"1.0.0\",\"image_url\":\"ghcr.io/example/runtime:1.0.0\"}")
                .post("/console/runtime/versions")
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"));
    }

    @Test
    void requestIdsAreEchoedOrMade() {
        given().header("X-Request-Id", "abc-123")
                .get("/runtime/versions")
                .then()
                .header("X-Request-Id", "abc-123");
        given().get("/runtime/versions").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "abc-123").get("/nothing").then().body("request_id", equalTo("abc-123"));
    }

    @Test
    void runtimeVersionsAreValidatedAndImmutable() {
        var publisher = given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                .contentType(ContentType.JSON);
        String version = "0.0." + (System.nanoTime() % 100000);
        publisher
                .body("{\"version\":\"" + version + "\",\"image_url\":\"ghcr.io/x/runtime:a\"}")
                .post("/console/runtime/versions")
                .then()
                .statusCode(201)
                .contentType(equalTo("application/json"))
                .body("version", equalTo(version))
                .body("released_at", notNullValue());
        expectProblem(
                given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                        .contentType(ContentType.JSON)
                        .body("{\"version\":\"" + version + "\",\"image_url\":\"ghcr.io/x/runtime:b\"}")
                        .post("/console/runtime/versions"),
                409,
                "runtime-version-exists");
        expectProblem(
                        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                                .contentType(ContentType.JSON)
                                .body("{\"version\":\"one\",\"image_url\":3}")
                                .post("/console/runtime/versions"),
                        422,
                        "validation")
                .body("errors.field", hasItems("version", "image_url"));
        expectProblem(
                as(token).body("{\"version\":\"9.0.0\",\"image_url\":\"x\"}").post("/console/runtime/versions"),
                403,
                "forbidden-namespace");
        // Runtime versions list highest first.
        var versions =
                given().get("/runtime/versions").then().extract().jsonPath().getList("version", String.class);
        Assertions.assertEquals("1.0.0", versions.get(0));
    }

    @Test
    void bodyIsNeverEchoedFromAnInvalidRequestAsUtf8Garbage() {
        String body = new String(new byte[] {'{', '}'}, StandardCharsets.UTF_8);
        expectProblem(as(token).body(body).post("/provider-versions"), 422, "validation");
    }
}
