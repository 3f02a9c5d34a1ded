package dev.providers.registry.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The verification key is loaded at start-up by verifying a probe token that can never verify: the probe's kind of
 * token (a zero signature) is refused, and the parser it warmed goes on accepting real tokens and refusing forged ones.
 */
@QuarkusTest
class VerificationKeyPreloadTest extends RegistryTestBase {

    @Inject
    VerificationKeyPreload preload;

    @Test
    void afterThePreloadRealTokensVerifyAndForgedOnesDoNot() {
        preload.preload();
        preload.preload();
        given().header("Authorization", TestTokens.bearer(token))
                .get("/auth/me")
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(orgId));
        expectProblem(
                given().header("Authorization", TestTokens.bearer(TestTokens.wrongKey(org, orgId)))
                        .get("/auth/me"),
                401,
                "unauthorized");
    }

    @Test
    void aTokenShapedLikeTheProbeIsRefused() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String probe = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + base64.encodeToString(("{\"iss\":\"" + TestTokens.ISSUER + "\",\"sub\":\"x\",\"org_slug\":\"" + org
                                + "\",\"exp\":4102444800}")
                        .getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(new byte[32]);
        expectProblem(given().header("Authorization", "Bearer " + probe).get("/auth/me"), 401, "unauthorized");
    }
}
