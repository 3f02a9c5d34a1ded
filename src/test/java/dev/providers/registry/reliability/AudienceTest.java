package dev.providers.registry.reliability;

import static org.hamcrest.Matchers.equalTo;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code mp.jwt.verify.audiences} configured, a token for another audience is refused. */
@QuarkusTest
@TestProfile(AudienceTest.WithAudience.class)
class AudienceTest extends RegistryTestBase {

    public static class WithAudience implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.audiences", "provider-registry");
        }
    }

    @Test
    void onlyTheConfiguredAudienceIsAccepted() {
        expectProblem(
                as(TestTokens.claims(org, orgId).audience("another-api").sign()).get("/auth/me"), 401, "unauthorized");
        expectProblem(as(TestTokens.org(org, orgId)).get("/auth/me"), 401, "unauthorized");
        as(TestTokens.claims(org, orgId).audience("provider-registry").sign())
                .get("/auth/me")
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(orgId));
    }
}
