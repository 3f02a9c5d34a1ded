package dev.providers.registry.reliability;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.TestWheelServer.Behaviour;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The optional per-organization caps: a publish rate limit and a concurrent-fetch cap, both 429 with Retry-After. */
@QuarkusTest
@TestProfile(PublishLimitsTest.Limited.class)
class PublishLimitsTest extends RegistryTestBase {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.publish.rate-limit", "3/1m", "registry.fetch.max-concurrent-per-org", "1");
        }
    }

    @Test
    void theFourthPublishInAWindowIsRateLimitedPerOrganization() {
        for (int i = 1; i <= 3; i++) {
            String name = unique("rate");
            publish(body(org + "/" + name, "1.0.0", serveWheel(name, "1.0.0").url()))
                    .then()
                    .statusCode(201);
        }
        String name = unique("rate");
        Served fourth = serveWheel(name, "1.0.0");
        expectProblem(publish(body(org + "/" + name, "1.0.0", fourth.url())), 429, "rate-limited")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("3 times per 60s"));
        assertEquals(0, TestServers.wheels().requestCount(fourth.path()), "a refused publish fetches nothing");
        // Another organization has its own window.
        String otherOrg = "org-" + UUID.randomUUID().toString().substring(0, 8);
        publish(TestTokens.org(otherOrg, otherOrg + "_id"), body(otherOrg + "/" + name, "1.0.0", fourth.url()))
                .then()
                .statusCode(201);
    }

    @Test
    void aSecondConcurrentFetchOfOneOrganizationIs429() throws Exception {
        String slow = unique("slow");
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(slow, "1.0.0");
        TestServers.wheels().route(path, Behaviour.stall(new byte[100]));
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(
                () -> publish(body(org + "/" + slow, "1.0.0", wheelsUrl(path))).statusCode());
        long until = System.currentTimeMillis() + 5000;
        while (TestServers.wheels().requestCount(path) == 0 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        String name = unique("second");
        Served second = serveWheel(name, "1.0.0");
        expectProblem(publish(body(org + "/" + name, "1.0.0", second.url())), 429, "rate-limited")
                .header("Retry-After", "5")
                .body("detail", containsString("already has 1 publish(es) fetching"));
        assertEquals(504, first.get(10, TimeUnit.SECONDS), "the stalled fetch ends on the idle timeout");
        publish(body(org + "/" + name, "1.0.0", second.url())).then().statusCode(201);
    }
}
