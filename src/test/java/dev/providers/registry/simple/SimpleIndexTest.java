package dev.providers.registry.simple;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.RedirectConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The simple index as pip and uv see it: both forms, redirects to normalised URLs, negotiation, ETags, yanks,
 * core metadata, tenant visibility through {@code __token__} Basic credentials and Bearer, and the METADATA backfill
 * of versions published before.
 */
@QuarkusTest
class SimpleIndexTest extends RegistryTestBase {

    private static final String PIP_ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
    private static final String METADATA =
            "Metadata-Version: 2.1\nName: %s\nVersion: %s\nRequires-Python: >=3.8\nSummary: demo\n";

    @Inject
    Pool db;

    @Inject
    CoreMetadataBackfill backfill;

    @Inject
    SimpleQueries queries;

    private String project;
    private String dist;

    private RequestSpecification noRedirects() {
        return given().config(RestAssuredConfig.config()
                .redirect(RedirectConfig.redirectConfig().followRedirects(false)));
    }

    private static String basic(String jwt) {
        return "Basic " + Base64.getEncoder().encodeToString(("__token__:" + jwt).getBytes(StandardCharsets.UTF_8));
    }

    /** Publishes {@code org/name} version {@code version} from a wheel of distribution {@code dist}. */
    private Served publishWheel(String name, String version) {
        byte[] metadata = String.format(METADATA, dist, version).getBytes(StandardCharsets.UTF_8);
        Wheels.Builder builder = Wheels.builder(dist, version);
        byte[] wheel = builder.extraEntry(builder.distInfoDirectory() + "/METADATA", metadata)
                .build();
        Served served = serve(Wheels.fileName(dist, version), wheel);
        publish(body(org + "/" + name, version, served.url())).then().statusCode(201);
        return served;
    }

    private void freshProject() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        dist = "Acme_Demo." + suffix; // a file name carries acme_demo_<suffix>; the project is acme-demo-<suffix>
        project = "acme-demo-" + suffix;
    }

    @Test
    void aPublishedWheelIsListedInBothFormsWithItsDigestAndMetadata() {
        freshProject();
        Served served = publishWheel("demo", "1.0.0");
        String fileName = Wheels.fileName(dist, "1.0.0");
        String metadata = String.format(METADATA, dist, "1.0.0");

        given().get("/simple/" + org + "/")
                .then()
                .statusCode(200)
                .contentType("text/html")
                .header("Vary", containsString("Accept"))
                .body(containsString("<a href=\"" + project + "/\">" + project + "</a>"));
        given().accept(PIP_ACCEPT)
                .get("/simple/" + org + "/")
                .then()
                .statusCode(200)
                .header("Content-Type", "application/vnd.pypi.simple.v1+json")
                .body("meta.api-version", equalTo("1.0"))
                .body("projects.name", equalTo(java.util.List.of(project)));

        String fileUrl = "/simple/" + org + "/" + project + "/" + served.sha256() + "/" + fileName;
        JsonPath page = given().accept(PIP_ACCEPT)
                .get("/simple/" + org + "/" + project + "/")
                .then()
                .statusCode(200)
                .header("Content-Type", "application/vnd.pypi.simple.v1+json")
                .header("Vary", "Accept, Authorization")
                .extract()
                .jsonPath();
        assertEquals(project, page.getString("name"));
        assertEquals(fileName, page.getString("files[0].filename"));
        assertEquals(fileUrl, page.getString("files[0].url"));
        assertEquals(served.sha256(), page.getString("files[0].hashes.sha256"));
        assertEquals(">=3.8", page.getString("files[0].requires-python"));
        assertEquals(false, page.getBoolean("files[0].yanked"));
        String metadataSha = Wheels.sha256Hex(metadata.getBytes(StandardCharsets.UTF_8));
        assertEquals(metadataSha, page.getString("files[0].core-metadata.sha256"));
        assertEquals(metadataSha, page.getString("files[0].dist-info-metadata.sha256"));

        given().accept("application/vnd.pypi.simple.v1+html")
                .get("/simple/" + org + "/" + project + "/")
                .then()
                .statusCode(200)
                .header("Content-Type", "application/vnd.pypi.simple.v1+html; charset=utf-8")
                .body(containsString("<a href=\"" + fileUrl + "#sha256=" + served.sha256()
                        + "\" data-requires-python=\"&gt;=3.8\" data-core-metadata=\"sha256=" + metadataSha
                        + "\" data-dist-info-metadata=\"sha256=" + metadataSha + "\">" + fileName + "</a>"));

        // the file: a redirect to the recorded URL; its METADATA, byte for byte
        noRedirects().get(fileUrl).then().statusCode(302).header("Location", served.url());
        given().get(fileUrl + ".metadata")
                .then()
                .statusCode(200)
                .header("ETag", "\"" + metadataSha + "\"")
                .body(equalTo(metadata));
        given().get("/simple/" + org + "/" + project + "/" + "0".repeat(64) + "/" + fileName + ".metadata")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void otherSpellingsAndMissingSlashesRedirectPermanently() {
        freshProject();
        publishWheel("demo", "1.0.0");
        noRedirects().get("/simple/" + org).then().statusCode(301).header("Location", endsWith("/simple/" + org + "/"));
        noRedirects()
                .get("/simple/" + org.toUpperCase() + "/")
                .then()
                .statusCode(301)
                .header("Location", endsWith("/simple/" + org + "/"));
        String spelled = project.replace("acme-demo", "Acme_Demo.");
        noRedirects()
                .get("/simple/" + org + "/" + spelled + "/")
                .then()
                .statusCode(301)
                .header("Location", endsWith("/simple/" + org + "/" + project + "/"));
        noRedirects()
                .get("/simple/" + org + "/" + project)
                .then()
                .statusCode(301)
                .header("Location", endsWith("/simple/" + org + "/" + project + "/"));
        // pip follows them to the page
        given().get("/simple/" + org + "/" + spelled).then().statusCode(200);
        given().get("/simple/" + org + "/no-such-project/").then().statusCode(404);
        given().get("/simple/" + org + "/bad%20name/").then().statusCode(404);
        given().get("/simple/" + "x".repeat(120) + "/").then().statusCode(404);
    }

    @Test
    void anUnacceptableAcceptIsA406ProblemAndETagsAnswer304() {
        freshProject();
        publishWheel("demo", "1.0.0");
        String url = "/simple/" + org + "/" + project + "/";
        expectProblem(given().accept("application/json").get(url), 406, "not-acceptable")
                .body("detail", containsString("application/vnd.pypi.simple.v1+json"));
        expectProblem(given().accept("application/xml").get("/simple/" + org + "/"), 406, "not-acceptable");

        String htmlTag = given().get(url).then().statusCode(200).extract().header("ETag");
        String jsonTag = given().accept(PIP_ACCEPT)
                .get(url)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        assertFalse(htmlTag.equals(jsonTag), "each form has its own tag");
        given().header("If-None-Match", htmlTag)
                .get(url)
                .then()
                .statusCode(304)
                .header("ETag", htmlTag)
                .header("Vary", "Accept, Authorization");
        given().accept(PIP_ACCEPT)
                .header("If-None-Match", htmlTag)
                .get(url)
                .then()
                .statusCode(200);
        // a new version is a new page
        publishWheel("demo", "1.1.0");
        given().header("If-None-Match", htmlTag).get(url).then().statusCode(200);
    }

    @Test
    void yankedFilesCarryTheirReasonAsText() {
        freshProject();
        publishWheel("demo", "1.0.0");
        publishWheel("demo", "1.1.0");
        as(token)
                .body("{\"reason\": \"<script>alert('x')</script> broken\"}")
                .post("/providers/" + org + "/demo/versions/1.1.0/yank")
                .then()
                .statusCode(200);
        String url = "/simple/" + org + "/" + project + "/";
        String html = given().get(url).then().statusCode(200).extract().asString();
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains(" data-yanked=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; broken\""), html);
        given().accept(PIP_ACCEPT)
                .get(url)
                .then()
                .statusCode(200)
                .body("files[0].yanked", equalTo(false))
                .body("files[1].yanked", equalTo("<script>alert('x')</script> broken"));
    }

    @Test
    void tenantProvidersAreVisibleToTheirOwnerOnlyAndAbsentForEveryoneElse() {
        freshProject();
        Served served = publishWheel("secret", "1.0.0");
        as(token)
                .body("{\"scope\": \"tenant\"}")
                .patch("/providers/" + org + "/secret")
                .then()
                .statusCode(200);
        String page = "/simple/" + org + "/" + project + "/";
        String file = page + served.sha256() + "/" + Wheels.fileName(dist, "1.0.0");
        String other = TestTokens.org("other-" + org, "org_other_" + orgId);

        for (String url : new String[] {"/simple/" + org + "/", page, file + ".metadata"}) {
            expectProblem(given().get(url), 404, "not-found");
            expectProblem(given().header("Authorization", basic(other)).get(url), 404, "not-found");
            expectProblem(
                    given().header("Authorization", TestTokens.bearer(other)).get(url), 404, "not-found");
            given().header("Authorization", basic(token)).get(url).then().statusCode(200);
            given().header("Authorization", TestTokens.bearer(token))
                    .get(url)
                    .then()
                    .statusCode(200);
            // a bad token is refused as on every other route, never treated as anonymous
            expectProblem(
                    given().header("Authorization", basic(TestTokens.wrongKey(org, orgId)))
                            .get(url),
                    401,
                    "unauthorized");
            // Basic credentials of another user are not a token: anonymous
            expectProblem(
                    given().header(
                                    "Authorization",
                                    "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes()))
                            .get(url),
                    404,
                    "not-found");
        }
        noRedirects().get(file).then().statusCode(404);
        noRedirects()
                .header("Authorization", basic(token))
                .get(file)
                .then()
                .statusCode(302)
                .header("Location", served.url());
        given().header("Authorization", basic(token))
                .get(page)
                .then()
                .header("Cache-Control", containsString("private"));
        // the lookup the hosted download route answers {file}.metadata with: the same visibility
        String fileName = Wheels.fileName(dist, "1.0.0");
        Caller owner = new Caller("user", null, org, orgId, null, Set.of(), null);
        assertNull(queries.metadataByDigest(served.sha256(), fileName, Caller.ANONYMOUS)
                .await()
                .indefinitely());
        SimpleQueries.FileMetadata found = queries.metadataByDigest(served.sha256(), fileName, owner)
                .await()
                .indefinitely();
        assertEquals(String.format(METADATA, dist, "1.0.0"), new String(found.bytes(), StandardCharsets.UTF_8));
        assertTrue(found.tenant(), "found on a tenant-scope provider: a private answer");
    }

    @Test
    void deletedProvidersLeaveTheIndex() {
        freshProject();
        publishWheel("gone", "1.0.0");
        as(token).delete("/providers/" + org + "/gone").then().statusCode(204);
        given().get("/simple/" + org + "/" + project + "/").then().statusCode(404);
        given().get("/simple/" + org + "/").then().statusCode(404);
    }

    @Test
    void versionsPublishedBeforeGetTheirMetadataFromTheBackfillJob() {
        freshProject();
        Served kept = publishWheel("old", "1.0.0");
        Served changed = publishWheel("old", "2.0.0");
        // as the V6 migration leaves a version published before it
        db.preparedQuery("UPDATE version_files f SET core_metadata = NULL, core_metadata_sha256 = NULL, "
                        + "requires_python = NULL, core_metadata_state = 'pending', retry_at = NULL "
                        + "FROM provider_versions v WHERE v.id = f.version_id AND v.prefix = $1 AND v.name = 'old'")
                .executeAndAwait(Tuple.of(org));
        String url = "/simple/" + org + "/" + project + "/";
        given().accept(PIP_ACCEPT)
                .get(url)
                .then()
                .statusCode(200)
                .body("files[0].core-metadata", equalTo(false))
                .body("files[0]", not(hasKey("requires-python")));
        // the wheel of 2.0.0 changed after publish: no metadata is taken from other bytes
        TestServers.wheels()
                .serve(changed.path(), Wheels.builder(dist, "2.0.0").padding(10).build());

        int claimed = backfill.runOnce().await().indefinitely();
        assertTrue(claimed >= 2, "claimed " + claimed);

        String metadataSha =
                Wheels.sha256Hex(String.format(METADATA, dist, "1.0.0").getBytes(StandardCharsets.UTF_8));
        given().accept(PIP_ACCEPT)
                .get(url)
                .then()
                .statusCode(200)
                .body("files[0].hashes.sha256", equalTo(kept.sha256()))
                .body("files[0].core-metadata.sha256", equalTo(metadataSha))
                .body("files[0].requires-python", equalTo(">=3.8"))
                .body("files[1].hashes.sha256", equalTo(changed.sha256()))
                .body("files[1].core-metadata", equalTo(false));
        assertEquals(
                java.util.List.of("captured", "absent"),
                db
                        .preparedQuery("SELECT f.core_metadata_state FROM version_files f JOIN provider_versions v "
                                + "ON v.id = f.version_id WHERE v.prefix = $1 AND v.name = 'old' "
                                + "ORDER BY v.version")
                        .executeAndAwait(Tuple.of(org))
                        .stream()
                        .map(row -> row.getString(0))
                        .toList());
        // done once: nothing left to claim for these rows
        backfill.runOnce().await().indefinitely();
        given().get(url + kept.sha256() + "/" + Wheels.fileName(dist, "1.0.0") + ".metadata")
                .then()
                .statusCode(200)
                .body(containsString("Version: 1.0.0"));
    }
}
