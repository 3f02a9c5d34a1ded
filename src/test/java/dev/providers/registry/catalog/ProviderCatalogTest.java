package dev.providers.registry.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /providers, GET/PATCH/DELETE /providers/{org}/{name}: visibility, limits, tombstones. */
@QuarkusTest
class ProviderCatalogTest extends CatalogTestBase {

    @Inject
    Pool db;

    @Test
    void searchMatchesNameDisplayNameDescriptionOrTagCaseInsensitively() {
        String marker = unique("zq").replace("-", "");
        publishVersion(
                token,
                org + "/alpha-" + marker,
                "1.0.0",
                new JsonObject()
                        .put("display_name", "Object Storage")
                        .put("description", "Buckets and ACLs")
                        .put("tags", new JsonArray().add("Storage").add("s3")));
        publishVersion(
                token,
                org + "/beta-" + marker,
                "1.0.0",
                new JsonObject()
                        .put("display_name", "DNS")
                        .put("description", "zones " + marker.toUpperCase())
                        .put("tags", new JsonArray().add("network")));
        publishVersion(
                token,
                org + "/gamma-" + marker,
                "1.0.0",
                new JsonObject()
                        .put("display_name", "Queue")
                        .put("tags", new JsonArray().add("messaging").add(marker)));

        given().queryParam("q", marker.toUpperCase())
                .get("/providers")
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .header("Vary", "Authorization")
                .body("total", equalTo(3))
                .body("limit", equalTo(20))
                .body("offset", equalTo(0))
                .body("items.name", equalTo(List.of("alpha-" + marker, "beta-" + marker, "gamma-" + marker)));
        given().queryParam("q", "object stor")
                .queryParam("tags", "STORAGE")
                .get("/providers")
                .then()
                .body("items.name", hasItems("alpha-" + marker));
        given().queryParam("q", marker)
                .queryParam("tags", "storage")
                .queryParam("tags", "S3")
                .get("/providers")
                .then()
                .body("total", equalTo(1))
                .body("items[0].name", equalTo("alpha-" + marker));
        given().queryParam("q", marker)
                .queryParam("tags", "storage")
                .queryParam("tags", "network")
                .get("/providers")
                .then()
                .body("total", equalTo(0))
                .body("items", empty());
        given().queryParam("q", marker)
                .queryParam("limit", "2")
                .queryParam("offset", "2")
                .get("/providers")
                .then()
                .body("total", equalTo(3))
                .body("items.name", equalTo(List.of("gamma-" + marker)));
        given().queryParam("q", marker)
                .queryParam("offset", "50")
                .get("/providers")
                .then()
                .body("total", equalTo(3))
                .body("items", empty());
        // LIKE wildcards in q are literal characters.
        given().queryParam("q", "%")
                .queryParam("tags", marker)
                .get("/providers")
                .then()
                .body("total", equalTo(0));
    }

    @Test
    void badPaginationIs422() {
        for (String[] bad : new String[][] {
            {"limit", "0"}, {"limit", "101"}, {"limit", "abc"}, {"offset", "-1"}, {"offset", "x"}, {"scope", "private"}
        }) {
            expectProblem(given().queryParam(bad[0], bad[1]).get("/providers"), 422, "validation")
                    .body("errors[0].field", equalTo(bad[0]));
        }
    }

    @Test
    void providerDetailCarriesAuthorLatestAndDefaults() {
        String name = unique("detail");
        publishVersion(org + "/" + name, "1.0.0");
        given().get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .header("ETag", notNullValue())
                .header("Vary", "Authorization")
                .body("canonical", equalTo(org + "/" + name))
                .body("display_name", equalTo(name))
                .body("description", equalTo(""))
                .body("author.organization_id", equalTo(orgId))
                .body("author.display_name", equalTo("Org " + org))
                .body("author.kind", equalTo("customer"))
                .body("scope", equalTo("public"))
                .body("tags", empty())
                .body("latest_version", equalTo("1.0.0"))
                .body("install_count", equalTo(0))
                .body("icon_url", nullValue());
        expectProblem(given().get("/providers/" + org + "/nothing-" + name), 404, "not-found")
                .body("detail", equalTo("provider " + org + "/nothing-" + name + " does not exist"));
    }

    @Test
    void etagAnswers304AndOwnerViewsArePrivate() {
        String name = unique("etag");
        publishVersion(org + "/" + name, "1.0.0");
        String etag = given().get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-cache")
                .extract()
                .header("ETag");
        given().header("If-None-Match", etag)
                .get("/providers/" + org + "/" + name)
                .then()
                .statusCode(304)
                .header("ETag", etag);
        given().header("If-None-Match", "W/" + etag + ", \"other\"")
                .get("/providers/" + org + "/" + name)
                .then()
                .statusCode(304);
        as(token)
                .get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .header("Cache-Control", containsString("private"));
        String versionTag = given().get("/providers/" + org + "/" + name + "/versions/1.0.0")
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        given().header("If-None-Match", versionTag)
                .get("/providers/" + org + "/" + name + "/versions/1.0.0")
                .then()
                .statusCode(304);
        // A change makes a new tag.
        as(token)
                .body("{\"description\": \"changed\"}")
                .patch("/providers/" + org + "/" + name)
                .then()
                .statusCode(200);
        given().header("If-None-Match", etag)
                .get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200);
    }

    @Test
    void patchChangesOnlyGivenFieldsWithinLimits() {
        String name = unique("patch");
        publishVersion(
                token,
                org + "/" + name,
                "1.0.0",
                new JsonObject()
                        .put("display_name", "First")
                        .put("description", "kept")
                        .put("tags", new JsonArray().add("a")));
        as(token)
                .body("{\"display_name\": \"Second\", \"readme\": \"# Hi\", \"tags\": [], \"icon_url\": null}")
                .patch("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .body("display_name", equalTo("Second"))
                .body("description", equalTo("kept"))
                .body("readme", equalTo("# Hi"))
                .body("tags", empty());
        expectProblem(
                        as(token)
                                .body("{\"display_name\": \"" + "x".repeat(101) + "\", \"scope\": \"secret\", "
                                        + "\"readme\": \"" + "r".repeat(50_001)
                                        + "\", \"icon_url\": \"http://x.test/i.png\", \"tags\": [\""
                                        + "t".repeat(51) + "\"]}")
                                .patch("/providers/" + org + "/" + name),
                        422,
                        "validation")
                .body("errors.field", hasItems("display_name", "scope", "readme", "icon_url", "tags[0]"));
        expectProblem(
                as(TestTokens.org("other-org", "org_other"))
                        .body("{\"description\": \"x\"}")
                        .patch("/providers/" + org + "/" + name),
                403,
                "forbidden-namespace");
        expectProblem(
                given().contentType(ContentType.JSON)
                        .body("{\"description\": \"x\"}")
                        .patch("/providers/" + org + "/" + name),
                401,
                "unauthorized");
        // Ownership is by organization id: the same slug with another id is refused.
        expectProblem(
                as(TestTokens.org(org, "org_id_impostor"))
                        .body("{\"description\": \"x\"}")
                        .patch("/providers/" + org + "/" + name),
                403,
                "forbidden-namespace");
        expectProblem(
                given().header("Authorization", TestTokens.bearer(token))
                        .contentType(ContentType.TEXT)
                        .body("x")
                        .patch("/providers/" + org + "/" + name),
                415,
                "unsupported-media-type");
    }

    @Test
    void tenantScopeIsInvisibleToOthersEverywhere() {
        String marker = unique("tenant").replace("-", "");
        String name = "hidden-" + marker;
        publishVersion(org + "/" + name, "1.0.0");
        as(token)
                .body("{\"scope\": \"tenant\"}")
                .patch("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .body("scope", equalTo("tenant"));

        given().queryParam("q", marker)
                .get("/providers")
                .then()
                .body("total", equalTo(0))
                .body("items", empty());
        as(TestTokens.org("stranger", "org_stranger"))
                .queryParam("q", marker)
                .get("/providers")
                .then()
                .body("total", equalTo(0));
        expectProblem(given().get("/providers/" + org + "/" + name), 404, "not-found");
        expectProblem(given().get("/providers/" + org + "/" + name + "/versions"), 404, "not-found");
        expectProblem(given().get("/providers/" + org + "/" + name + "/versions/1.0.0"), 404, "not-found");
        // A non-owner's write to an invisible provider is a 404 too, never a 403.
        expectProblem(
                as(TestTokens.org("stranger", "org_stranger"))
                        .body("{}")
                        .post("/providers/" + org + "/" + name + "/versions/1.0.0/yank"),
                404,
                "not-found");

        as(token).queryParam("q", marker).get("/providers").then().body("total", equalTo(1));
        as(token)
                .queryParam("q", marker)
                .queryParam("scope", "tenant")
                .get("/providers")
                .then()
                .body("total", equalTo(1));
        as(token)
                .get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .header("Cache-Control", containsString("private"));
    }

    @Test
    void aProviderWhoseOnlyVersionsFailedIsInvisibleToOthers() {
        String name = unique("onlyfailed");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", "0".repeat(64)))
                .then()
                .statusCode(422);
        expectProblem(given().get("/providers/" + org + "/" + name), 404, "not-found");
        given().queryParam("q", name).get("/providers").then().body("total", equalTo(0));
        as(token).get("/providers/" + org + "/" + name).then().statusCode(200).body("latest_version", nullValue());
        as(token)
                .get("/providers/" + org + "/" + name + "/versions")
                .then()
                .statusCode(200)
                .body("status", equalTo(List.of("failed")));
    }

    @Test
    void deleteKeepsTombstonesThatOnlyTheIdenticalWheelMayReuse() {
        String name = unique("gone");
        Served original = publishVersion(org + "/" + name, "1.0.0");
        as(token).delete("/providers/" + org + "/" + name).then().statusCode(204);

        expectProblem(given().get("/providers/" + org + "/" + name), 404, "not-found");
        expectProblem(given().get("/providers/" + org + "/" + name + "/versions/1.0.0"), 404, "not-found");
        given().queryParam("q", name).get("/providers").then().body("total", equalTo(0));
        expectProblem(as(token).delete("/providers/" + org + "/" + name), 404, "not-found");

        // Another wheel under the same number: refused (declared digest: before fetching; else after).
        Served other = serve(
                dev.providers.registry.support.Wheels.fileName(name, "1.0.0"),
                dev.providers.registry.support.Wheels.builder(name, "1.0.0")
                        .padding(100)
                        .build());
        expectProblem(
                        publish(body(org + "/" + name, "1.0.0", other.url()).put("sha256", other.sha256())),
                        409,
                        "version-immutable")
                .body("detail", containsString("deleted"));
        expectProblem(publish(body(org + "/" + name, "1.0.0", other.url())), 409, "version-immutable");
        // The identical wheel may come back, and a new number is always fine.
        publish(body(org + "/" + name, "1.0.0", original.url()))
                .then()
                .statusCode(201)
                .body("status", equalTo("published"));
        publishVersion(org + "/" + name, "1.1.0");
        given().get("/providers/" + org + "/" + name).then().statusCode(200).body("latest_version", equalTo("1.1.0"));

        // Events are keyed by canonical name and outlive the DELETE.
        as(token)
                .get("/providers/" + org + "/" + name + "/events")
                .then()
                .statusCode(200)
                .body("items.action", hasItems("delete", "publish", "publish-failed"));
        long tombstones = db.preparedQuery("SELECT count(*) FROM version_tombstones WHERE prefix = $1 AND name = $2")
                .executeAndAwait(Tuple.of(org, name))
                .iterator()
                .next()
                .getLong(0);
        assertEquals(1, tombstones);
    }

    @Test
    void eventsAreOwnerOnlyNewestFirstAndKeysetPaginated() {
        String name = unique("events");
        publishVersion(org + "/" + name, "1.0.0");
        publishVersion(org + "/" + name, "1.1.0");
        as(token)
                .body("{}")
                .post("/providers/" + org + "/" + name + "/versions/1.0.0/yank")
                .then()
                .statusCode(200);
        as(token)
                .body("{\"description\": \"d\"}")
                .patch("/providers/" + org + "/" + name)
                .then()
                .statusCode(200);

        var first = as(token)
                .queryParam("limit", "2")
                .get("/providers/" + org + "/" + name + "/events")
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .header("Cache-Control", containsString("private"))
                .body("items", hasSize(2))
                .body("items[0].action", equalTo("update"))
                .body("items[1].action", equalTo("yank"))
                .body("items[1].version", equalTo("1.0.0"))
                .body("items[1].actor_sub", equalTo("user-" + org))
                .body("items[1].actor_org_id", equalTo(orgId))
                .body("items[1].status_before", equalTo("published"))
                .body("items[1].status_after", equalTo("yanked"))
                .body("next_before", notNullValue())
                .extract()
                .jsonPath();
        long cursor = first.getLong("next_before");
        as(token)
                .queryParam("limit", "2")
                .queryParam("before", cursor)
                .get("/providers/" + org + "/" + name + "/events")
                .then()
                .statusCode(200)
                .body("items.action", equalTo(List.of("publish", "publish")))
                .body("items.version", equalTo(List.of("1.1.0", "1.0.0")))
                .body("next_before", notNullValue());
        as(token)
                .queryParam("limit", "2")
                .queryParam("before", 1)
                .get("/providers/" + org + "/" + name + "/events")
                .then()
                .body("items", empty())
                .body("next_before", nullValue());

        expectProblem(
                as(TestTokens.org("stranger", "org_stranger")).get("/providers/" + org + "/" + name + "/events"),
                403,
                "forbidden-namespace");
        expectProblem(given().get("/providers/" + org + "/" + name + "/events"), 401, "unauthorized");
        expectProblem(
                as(token).queryParam("limit", "0").get("/providers/" + org + "/" + name + "/events"),
                422,
                "validation");
        given().get("/providers/" + org + "/" + name).then().body("description", not(equalTo("")));
    }
}
