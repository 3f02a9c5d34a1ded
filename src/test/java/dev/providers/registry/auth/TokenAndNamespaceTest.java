package dev.providers.registry.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Who may publish where; every refusal is a problem body and nothing is fetched or written. */
@QuarkusTest
class TokenAndNamespaceTest extends RegistryTestBase {

    private io.restassured.response.Response publishWith(String authorization, Served wheel, String name) {
        var spec = given().contentType(ContentType.JSON);
        if (authorization != null) {
            spec = spec.header("Authorization", authorization);
        }
        return spec.body(body(name, "1.0.0", wheel.url()).encode()).post("/provider-versions");
    }

    @Test
    void missingExpiredForeignAndForgedTokensAre401() {
        String name = unique("tok");
        Served wheel = serveWheel(name, "1.0.0");
        expectProblem(publishWith(null, wheel, org + "/" + name), 401, "unauthorized")
                .body("detail", containsString("token is required"));
        expectProblem(
                        publishWith(TestTokens.bearer(TestTokens.expired(org, orgId)), wheel, org + "/" + name),
                        401,
                        "unauthorized")
                .body("detail", containsString("invalid or expired"));
        expectProblem(
                publishWith(TestTokens.bearer(TestTokens.wrongIssuer(org, orgId)), wheel, org + "/" + name),
                401,
                "unauthorized");
        expectProblem(
                publishWith(TestTokens.bearer(TestTokens.wrongKey(org, orgId)), wheel, org + "/" + name),
                401,
                "unauthorized");
        expectProblem(publishWith("Bearer not.a.jwt", wheel, org + "/" + name), 401, "unauthorized");
        expectProblem(
                        publishWith(
                                TestTokens.bearer(TestTokens.claims(null, null).sign()), wheel, org + "/" + name),
                        401,
                        "unauthorized")
                .body("detail", containsString("org_slug"));
        assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
    }

    @Test
    void anInvalidTokenIs401EvenOnAPublicRead() {
        expectProblem(
                given().header("Authorization", TestTokens.bearer(TestTokens.expired(org, orgId)))
                        .get("/runtime/versions"),
                401,
                "unauthorized");
        given().get("/runtime/versions").then().statusCode(200);
    }

    @Test
    void anotherOrganizationsNamespaceIs403() {
        String name = unique("foreign");
        Served wheel = serveWheel(name, "1.0.0");
        expectProblem(publish(body("someone-else/" + name, "1.0.0", wheel.url())), 403, "forbidden-namespace")
                .body("detail", containsString("someone-else"));
        assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
    }

    @Test
    void ownershipIsByOrganizationIdNotSlug() {
        String name = unique("owned");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);
        // Same slug, another organization id (a renamed slug taken by someone else): refused.
        Served next = serveWheel(name, "1.1.0");
        expectProblem(
                        publish(TestTokens.org(org, "org_id_impostor"), body(org + "/" + name, "1.1.0", next.url())),
                        403,
                        "forbidden-namespace")
                .body("detail", containsString("owned by another organization"));
        assertEquals(0, TestServers.wheels().requestCount(next.path()));
    }

    @Test
    void legacyOrganizationIdMustBeTheCallers() {
        String name = unique("legacyid");
        Served wheel = serveWheel(name, "1.0.0");
        expectProblem(
                        publish(body(name, "1.0.0", wheel.url()).put("organization_id", "org_someone_else")),
                        403,
                        "forbidden-namespace")
                .body("detail", containsString("organization_id"));
    }

    @Test
    void reservedPrefixesNeedTheGroup() {
        String name = unique("reserved");
        Served wheel = serveWheel(name, "1.0.0");
        expectProblem(publish(body("platform/" + name, "1.0.0", wheel.url())), 403, "forbidden-namespace")
                .body("detail", containsString("reserved"));
        expectProblem(
                        as(token)
                                .body(body("pragmatiks/" + name, "1.0.0", wheel.url())
                                        .encode())
                                .post("/console/provider-versions"),
                        403,
                        "forbidden-namespace")
                .body("detail", containsString("platform-publisher"));
        assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
        // With the group, the public route accepts reserved prefixes too.
        publish(TestTokens.publisher(), body("platform/" + name, "1.0.0", wheel.url()))
                .then()
                .statusCode(201);
    }

    @Test
    void authMeAndOrganizationComeFromTheToken() {
        as(token)
                .get("/auth/me")
                .then()
                .statusCode(200)
                .body("user_id", equalTo("user-" + org))
                .body("email", nullValue())
                .body("organization_id", equalTo(orgId))
                .body("organization_name", equalTo("Org " + org));
        as(token)
                .get("/organizations/" + orgId)
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(orgId))
                .body("slug", equalTo(org))
                .body("name", equalTo("Org " + org))
                .body("status", equalTo("active"));
        expectProblem(as(token).get("/organizations/org_other"), 404, "not-found");
        expectProblem(given().get("/auth/me"), 401, "unauthorized");
    }

    @Test
    void nestedClaimPathsAreRead() {
        // Clerk v2 shape {"o": {"slg": ..., "id": ...}} is read when the claim names are configured as paths;
        // the default configuration reads flat claims, so a nested-only token has no organization.
        String nested = TestTokens.claims(null, null)
                .claim("o", java.util.Map.of("slg", org, "id", orgId))
                .sign();
        expectProblem(as(nested).body("{}").post("/provider-versions"), 401, "unauthorized");
    }
}
