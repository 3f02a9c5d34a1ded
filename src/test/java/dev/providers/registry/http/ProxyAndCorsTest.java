package dev.providers.registry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a proxy, with CORS configured: the public URL in Location, cross-origin reads only. */
@QuarkusTest
@TestProfile(ProxyAndCorsTest.BehindAProxy.class)
class ProxyAndCorsTest extends RegistryTestBase {

    static final String CATALOG = "https://catalog.example.test";

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true",
                    "registry.cors.origins", CATALOG + ",https://other.example.test/");
        }
    }

    @Test
    void locationUsesTheForwardedSchemeAndHost() {
        String name = unique("proxied");
        Served wheel = serveWheel(name, "1.0.0");
        as(token)
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "registry.example.test")
                .body(body(org + "/" + name, "1.0.0", wheel.url()).encode())
                .post("/provider-versions")
                .then()
                .statusCode(201)
                .header(
                        "Location",
                        equalTo("https://registry.example.test/providers/" + org + "/" + name + "/versions/1.0.0"));
    }

    @Test
    void aConfiguredOriginReadsPublicGets() {
        given().header("Origin", CATALOG)
                .get("/runtime/versions")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(CATALOG))
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"))
                .header("Vary", containsString("Origin"))
                .header("Access-Control-Allow-Credentials", nullValue());
        given().header("Origin", "https://other.example.test")
                .get("/runtime/versions")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://other.example.test"));
        given().header("Origin", CATALOG)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "accept, x-request-id")
                .options("/providers/some/thing/versions/1.0.0")
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", equalTo(CATALOG))
                .header("Access-Control-Allow-Methods", equalTo("GET, HEAD"))
                .header("X-Request-Id", not(nullValue()));
    }

    @Test
    void writesTokensAndOtherOriginsAreNotOpened() {
        // a preflight for a publish, or for a read with a token, is answered without CORS headers: the browser refuses
        given().header("Origin", CATALOG)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .options("/provider-versions")
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Methods", nullValue());
        given().header("Origin", CATALOG)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/auth/me")
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", nullValue());
        // an origin that is not configured gets nothing
        given().header("Origin", "https://evil.example.test")
                .get("/runtime/versions")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
        // a cross-origin POST (which a browser would not send after the refused preflight) gets no CORS header either
        String name = unique("cors");
        Served wheel = serveWheel(name, "1.0.0");
        as(token)
                .header("Origin", CATALOG)
                .body(body(org + "/" + name, "1.0.0", wheel.url()).encode())
                .post("/provider-versions")
                .then()
                .statusCode(201)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Location", startsWith("http://localhost:"));
    }
}
