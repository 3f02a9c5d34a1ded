package dev.providers.registry.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.TestWheelServer.Behaviour;
import dev.providers.registry.support.Wheels;
import dev.providers.registry.wheel.TestZips;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The fetch and verify paths of the packaged application that the native executable compiles differently from the
 * JVM: the fetch client's TLS (the extra CA, a certificate that does not name the address, redirects followed by
 * hand and re-checked), SHA-256 of the stream, and the zip parser on zip64 and broken archives.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedAppResource.class)
class FetchPathsIT extends FreshOrganizationIT {

    @Override
    protected String prefix() {
        return "fetch";
    }

    @Test
    void redirectsAreFollowedWithinTheAllowListAndRefusedOutsideIt() {
        String name = unique("hops");
        String file = Wheels.fileName(name, "1.0.0");
        byte[] bytes = Wheels.builder(name, "1.0.0").build();
        String base = "/" + UUID.randomUUID();
        TestServers.wheels().serve(base + "/final/" + file, bytes);
        TestServers.wheels().route(base + "/1/" + file, Behaviour.redirect(307, "../final/" + file));
        TestServers.wheels().route(base + "/0/" + file, Behaviour.redirect(302, wheelsUrl(base + "/1/" + file)));
        publish(name, wheelsUrl(base + "/0/" + file))
                .statusCode(201)
                .body("wheel_sha256", equalTo(Wheels.sha256Hex(bytes)));

        String refused = unique("away");
        String away = "/" + UUID.randomUUID() + "/" + Wheels.fileName(refused, "1.0.0");
        int before = TestServers.blocked().totalRequests();
        TestServers.wheels()
                .route(
                        away,
                        Behaviour.redirect(
                                302,
                                "https://127.0.0.3:" + TestServers.blocked().port() + "/"
                                        + Wheels.fileName(refused, "1.0.0")));
        problem(publish(refused, wheelsUrl(away)), 422, "url-not-allowed");
        assertEquals(before, TestServers.blocked().totalRequests());
    }

    @Test
    void aCertificateThatDoesNotNameTheAddressIsRefusedOnTls() {
        String name = unique("tls");
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, "1.0.0");
        TestServers.wrongCert().serve(path, Wheels.builder(name, "1.0.0").build());
        problem(publish(name, "https://127.0.0.1:" + TestServers.wrongCert().port() + path), 502, "fetch-failed")
                .body("detail", containsString("TLS"));
        assertEquals(0, TestServers.wrongCert().requestCount(path));
    }

    @Test
    void aStoredMultiMegabyteWheelIsHashedOnTheWay() {
        String name = unique("big");
        byte[] bytes = Wheels.builder(name, "1.0.0")
                .stored()
                .padding(3 * 1024 * 1024, 7)
                .build();
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, "1.0.0");
        TestServers.wheels().serve(path, bytes);
        publish(name, wheelsUrl(path), Wheels.sha256Hex(bytes))
                .statusCode(201)
                .body("wheel_sha256", equalTo(Wheels.sha256Hex(bytes)));
    }

    @Test
    void aZip64WheelIsAccepted() {
        String name = unique("zip64");
        Wheels.Builder builder = Wheels.builder(name, "1.0.0");
        for (int i = 0; i < 66_000; i++) {
            builder.extraEntry(Wheels.escapeDistribution(name) + "/d/" + i, new byte[0]);
        }
        byte[] bytes = builder.build();
        ByteBuffer tail = ByteBuffer.wrap(bytes, bytes.length - 22, 22).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xFFFF, tail.getShort(10) & 0xFFFF, "ZipOutputStream should have written zip64 records");
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, "1.0.0");
        TestServers.wheels().serve(path, bytes);
        publish(name, wheelsUrl(path)).statusCode(201).body("wheel_sha256", equalTo(Wheels.sha256Hex(bytes)));
    }

    @Test
    void brokenArchivesAreNotAWheel() {
        byte[][] broken = {
            TestZips.random(4096, 11),
            TestZips.concat(
                    TestZips.zip64Eocd(5_000_000, 0, 0),
                    TestZips.zip64Locator(0),
                    TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0)),
            TestZips.concat(TestZips.random(100, 1), TestZips.eocd(0xFFFF, 0xFFFFFFFFL, 0xFFFFFFFFL, 0)),
            truncated(Wheels.builder("whole", "1.0.0").build()),
        };
        for (byte[] bytes : broken) {
            String name = unique("broken");
            String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, "1.0.0");
            TestServers.wheels().serve(path, bytes);
            problem(publish(name, wheelsUrl(path)), 422, "not-a-wheel");
        }
    }

    private static byte[] truncated(byte[] wheel) {
        return java.util.Arrays.copyOf(wheel, wheel.length - 30);
    }

    private ValidatableResponse publish(String name, String url) {
        return publish(name, url, null);
    }

    private ValidatableResponse publish(String name, String url, String sha256) {
        JsonObject body = new JsonObject()
                .put("name", org + "/" + name)
                .put("version", "1.0.0")
                .put("wheel_url", url);
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        return given().header("Authorization", TestTokens.bearer(token))
                .contentType(ContentType.JSON)
                .body(body.encode())
                .post("/provider-versions")
                .then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String slug) {
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:provider-registry:problem:" + slug));
    }

    private static String wheelsUrl(String path) {
        return "https://127.0.0.1:" + TestServers.wheels().port() + path;
    }

    private static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
