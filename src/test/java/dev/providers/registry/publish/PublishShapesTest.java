package dev.providers.registry.publish;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestHostResolver;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Each payload shape, byte for byte as the clients send it, publishes and reads back. */
@QuarkusTest
class PublishShapesTest extends RegistryTestBase {

    @Test
    void currentShapeFromSdk4() {
        String name = unique("storage");
        Served wheel = serveWheel(name, "1.2.3b1");
        // As httpx serialises it (json.dumps: ", " and ": " separators), with a URL that needs normalising.
        String url = "HTTPS://WHEELS.Registry.TEST:" + TestServers.wheels().port() + "/./x/.." + wheel.path();
        String body = "{\"name\": \"" + org + "/" + name + "\", \"version\": \"1.2.3-beta.1\", \"wheel_url\": \"" + url
                + "\", \"sha256\": \"" + wheel.sha256()
                + "\", \"schemas\": {\"bucket\": {\"description\": \"A bucket\", "
                + "\"config_schema\": {\"type\": \"object\"}, \"outputs_schema\": null}, \"acl\": {}}, "
                + "\"metadata\": {\"display_name\": \"Storage\", \"description\": \"Buckets\", \"icon_url\": null, "
                + "\"tags\": [\"storage\"]}}";
        given().header("Authorization", TestTokens.bearer(token))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/provider-versions")
                .then()
                .statusCode(201)
                .contentType(equalTo("application/json"))
                .header("Location", endsWith("/providers/" + org + "/" + name + "/versions/1.2.3-beta.1"))
                .body("prefix", equalTo(org))
                .body("name", equalTo(name))
                .body("canonical", equalTo(org + "/" + name))
                .body("version", equalTo("1.2.3-beta.1"))
                .body("status", equalTo("published"))
                .body("runtime_version", equalTo("1.0.0"))
                .body("wheel_sha256", equalTo(wheel.sha256()))
                .body(
                        "wheel_url",
                        equalTo("https://" + TestHostResolver.WHEELS + ":"
                                + TestServers.wheels().port() + wheel.path()))
                .body("package_name", equalTo(name.replace('-', '_')))
                .body("schemas", hasSize(2))
                .body("schemas[0].resource", equalTo("acl"))
                .body("schemas[0].provider", equalTo(name))
                .body("schemas[1].resource", equalTo("bucket"))
                .body("schemas[1].description", equalTo("A bucket"))
                .body("schemas[1].config_schema.type", equalTo("object"))
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("published_at", notNullValue())
                .body("error_message", nullValue())
                .body("source_hash", nullValue())
                .body("build_id", nullValue());

        readVersion(null, org + "/" + name, "1.2.3-beta.1")
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .body("status", equalTo("published"))
                .body("wheel_sha256", equalTo(wheel.sha256()));
    }

    @Test
    void legacyShapeFromSdk3() {
        String name = unique("legacy");
        Served wheel = serveWheel(name, "1.0.0");
        String body = "{\"name\": \"" + name + "\", \"version\": \"1.0.0\", \"wheel_url\": \"" + wheel.url()
                + "\", \"organization_id\": \"" + orgId + "\", \"runtime_image\": \"ghcr.io/legacy/runtime:0.9\", "
                + "\"config_schema\": {\"type\": \"object\", \"properties\": {}}, \"outputs_schema\": {\"type\": \"object\"}, "
                + "\"resource_schemas\": {\"vm\": {\"provider\": \"" + name + "\", \"resource\": \"vm\"}}, "
                + "\"changelog\": \"first\"}";
        given().header("Authorization", TestTokens.bearer(token))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/provider-versions")
                .then()
                .statusCode(201)
                .contentType(equalTo("application/json"))
                .body("prefix", equalTo(org))
                .body("name", equalTo(name))
                .body("status", equalTo("published"))
                .body("wheel_sha256", equalTo(wheel.sha256()))
                .body("config_schema.type", equalTo("object"))
                .body("outputs_schema.type", equalTo("object"))
                .body("schemas[0].resource", equalTo("vm"))
                .body("changelog", equalTo("first"));
        readVersion(null, org + "/" + name, "1.0.0").statusCode(200).body("runtime_version", equalTo("1.0.0"));
    }

    @Test
    void consoleShape() {
        String name = unique("dns");
        Served wheel = serveWheel(name, "2.0.0");
        String body = "{\"name\": \"platform/" + name + "\", \"version\": \"2.0.0\", \"wheel_url\": \"" + wheel.url()
                + "\", \"package_name\": \"" + name.replace('-', '_')
                + "\", \"entrypoint\": [\"python\", \"-m\", \"runtime\"], "
                + "\"metadata\": {\"display_name\": \"DNS\", \"description\": \"Zones and records\"}}";
        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/console/provider-versions")
                .then()
                .statusCode(201)
                .contentType(equalTo("application/json"))
                .body("prefix", equalTo("platform"))
                .body("entrypoint", hasSize(3))
                .body("package_name", equalTo(name.replace('-', '_')))
                .body("schemas", nullValue())
                .body("status", equalTo("published"));
        // The console script re-registers on every deploy: identical content answers 200.
        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/console/provider-versions")
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .body("status", equalTo("published"));
    }

    @Test
    void consoleFirstPublishNeedsDisplayNameAndDescription() {
        String name = unique("bare");
        Served wheel = serveWheel(name, "1.0.0");
        String body =
                "{\"name\": \"platform/" + name + "\", \"version\": \"1.0.0\", \"wheel_url\": \"" + wheel.url() + "\"}";
        expectProblem(
                        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                                .contentType(ContentType.JSON)
                                .body(body)
                                .post("/console/provider-versions"),
                        422,
                        "validation")
                .body("errors.field", Matchers.hasItems("metadata.display_name", "metadata.description"));
        Assertions.assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
    }

    @Test
    void consoleRefusesCustomerPrefixes() {
        Served wheel = serveWheel("thing", "1.0.0");
        String body =
                "{\"name\": \"" + org + "/thing\", \"version\": \"1.0.0\", \"wheel_url\": \"" + wheel.url() + "\"}";
        expectProblem(
                        given().header("Authorization", TestTokens.bearer(TestTokens.publisher()))
                                .contentType(ContentType.JSON)
                                .body(body)
                                .post("/console/provider-versions"),
                        403,
                        "forbidden-namespace")
                .body("detail", Matchers.containsString("reserved prefixes only"));
    }

    @Test
    void inferredPackageFromInitWhenNoTopLevelTxt() {
        String name = unique("infer");
        byte[] bytes = Wheels.builder(name, "0.1.0")
                .topLevelTxt(false)
                .packageName("inferred_pkg")
                .build();
        Served wheel = serve(Wheels.fileName(name, "0.1.0"), bytes);
        publish(body(org + "/" + name, "0.1.0", wheel.url()))
                .then()
                .statusCode(201)
                .body("package_name", equalTo("inferred_pkg"));
    }
}
