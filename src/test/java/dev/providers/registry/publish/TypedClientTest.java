package dev.providers.registry.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryApi;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

/** The API through a typed client, as a Java consumer would call it. */
@QuarkusTest
class TypedClientTest extends RegistryTestBase {

    @RestClient
    RegistryApi api;

    @Test
    void publishAndReadBackThroughTheTypedClient() {
        String name = unique("typed");
        Served wheel = serveWheel(name, "3.1.4");
        try (Response created = api.publish(TestTokens.bearer(token), body(org + "/" + name, "3.1.4", wheel.url()))) {
            assertEquals(201, created.getStatus());
            assertEquals("application/json", created.getHeaderString("Content-Type"));
            assertTrue(created.getLocation().getPath().endsWith("/providers/" + org + "/" + name + "/versions/3.1.4"));
        }
        try (Response read = api.version(org, name, "3.1.4")) {
            JsonObject version = new JsonObject(read.readEntity(String.class));
            assertEquals("published", version.getString("status"));
            assertEquals(wheel.sha256(), version.getString("wheel_sha256"));
        }
        try (Response runtimes = api.runtimeVersions()) {
            JsonArray list = new JsonArray(runtimes.readEntity(String.class));
            assertEquals("1.0.0", list.getJsonObject(0).getString("version"));
        }
    }
}
