package dev.providers.registry.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Version lists in SemVer order, yank/unyank, and latest_version through a sequence of writes. */
@QuarkusTest
class VersionCatalogTest extends CatalogTestBase {

    @Inject
    Pool db;

    private List<String> listed(String jwt, String canonical) {
        var spec = jwt == null ? given() : as(jwt);
        return spec.get("/providers/" + canonical + "/versions")
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .extract()
                .jsonPath()
                .getList("version", String.class);
    }

    @Test
    void versionsAreListedBySemVerPrecedenceHighestFirst() {
        String canonical = org + "/" + unique("order");
        List<String> published = List.of(
                "1.9.0",
                "1.0.0-rc.9",
                "1.0.0-alpha.1",
                "1.10.0",
                "1.0.0",
                "1.0.0-rc.10",
                "1.0.0-alpha",
                "1.0.0-beta.2",
                "0.9.9");
        for (String version : published) {
            publishVersion(canonical, version);
        }
        assertEquals(
                List.of(
                        "1.10.0",
                        "1.9.0",
                        "1.0.0",
                        "1.0.0-rc.10",
                        "1.0.0-rc.9",
                        "1.0.0-beta.2",
                        "1.0.0-alpha.1",
                        "1.0.0-alpha",
                        "0.9.9"),
                listed(null, canonical));
        given().get("/providers/" + canonical).then().body("latest_version", equalTo("1.10.0"));
    }

    /** Random SemVer lists, sorted by the service, match a comparator written from the SemVer 2.0.0 spec. */
    @Test
    void serviceOrderMatchesTheSpecOnRandomVersions() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < 2; round++) {
            String canonical = org + "/" + unique("prop");
            Set<String> versions = new LinkedHashSet<>();
            while (versions.size() < 12) {
                versions.add(randomVersion(random));
            }
            List<String> pep440Seen = new ArrayList<>();
            List<String> accepted = new ArrayList<>();
            for (String v : versions) {
                String pep = dev.providers.registry.identity.SemVer.parse(v).pep440();
                if (pep440Seen.contains(pep)) {
                    continue; // 1.0.0-alpha and 1.0.0-alpha.0 share a PEP 440 form: only one may exist
                }
                pep440Seen.add(pep);
                accepted.add(v);
                publishVersion(canonical, v);
            }
            List<String> expected = new ArrayList<>(accepted);
            expected.sort(SPEC_ORDER.reversed());
            assertEquals(expected, listed(null, canonical), "seed " + seed);
        }
    }

    private static String randomVersion(Random random) {
        String core = random.nextInt(3) + "." + random.nextInt(12) + "." + random.nextInt(12);
        String[] words = {"alpha", "beta", "rc", "dev", "a", "b"};
        return switch (random.nextInt(3)) {
            case 0 -> core;
            case 1 -> core + "-" + words[random.nextInt(words.length)];
            default -> core + "-" + words[random.nextInt(words.length)] + "." + random.nextInt(12);
        };
    }

    /** SemVer 2.0.0, section 11, written independently of the service (build metadata is not generated here). */
    static final Comparator<String> SPEC_ORDER = (a, b) -> {
        String[] pa = a.split("-", 2);
        String[] pb = b.split("-", 2);
        String[] ca = pa[0].split("\\.");
        String[] cb = pb[0].split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = new BigInteger(ca[i]).compareTo(new BigInteger(cb[i]));
            if (c != 0) {
                return c;
            }
        }
        if (pa.length == 1 || pb.length == 1) {
            return Integer.compare(pb.length, pa.length); // a release ranks above any pre-release
        }
        String[] ia = pa[1].split("\\.");
        String[] ib = pb[1].split("\\.");
        for (int i = 0; i < Math.min(ia.length, ib.length); i++) {
            boolean na = ia[i].matches("\\d+");
            boolean nb = ib[i].matches("\\d+");
            int c = na && nb
                    ? new BigInteger(ia[i]).compareTo(new BigInteger(ib[i]))
                    : na ? -1 : nb ? 1 : ia[i].compareTo(ib[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ia.length, ib.length);
    };

    @Test
    void othersSeePublishedAndYankedTheOwnerSeesAllAndStatusFilters() {
        String name = unique("vis");
        String canonical = org + "/" + name;
        publishVersion(canonical, "1.0.0");
        publishVersion(canonical, "1.1.0");
        Served bad = serveWheel(name, "2.0.0");
        publish(body(canonical, "2.0.0", bad.url()).put("sha256", "0".repeat(64)))
                .then()
                .statusCode(422);
        as(token)
                .body("{\"reason\": \"broken\"}")
                .post("/providers/" + canonical + "/versions/1.1.0/yank")
                .then()
                .statusCode(200);

        assertEquals(List.of("1.1.0", "1.0.0"), listed(null, canonical));
        assertEquals(List.of("2.0.0", "1.1.0", "1.0.0"), listed(token, canonical));
        assertEquals(
                List.of("2.0.0"),
                as(token)
                        .queryParam("status", "failed")
                        .get("/providers/" + canonical + "/versions")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("version", String.class));
        assertEquals(
                List.of("1.1.0"),
                given().queryParam("status", "yanked")
                        .get("/providers/" + canonical + "/versions")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("version", String.class));
        expectProblem(
                given().queryParam("status", "gone").get("/providers/" + canonical + "/versions"), 422, "validation");
        expectProblem(given().get("/providers/" + canonical + "/versions/2.0.0"), 404, "not-found")
                .body("detail", equalTo("provider " + canonical + " has no version 2.0.0"));
        expectProblem(given().get("/providers/" + canonical + "/versions/9.9.9"), 404, "not-found");
        as(token)
                .get("/providers/" + canonical + "/versions/2.0.0")
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"));
    }

    @Test
    void yankAndUnyankAsTheTableSays() {
        String name = unique("yank");
        String canonical = org + "/" + name;
        publishVersion(canonical, "1.0.0");
        String yank = "/providers/" + canonical + "/versions/1.0.0/yank";
        String unyank = "/providers/" + canonical + "/versions/1.0.0/unyank";

        // No body and no Content-Type are fine.
        given().header("Authorization", TestTokens.bearer(token))
                .post(yank)
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .body("status", equalTo("yanked"))
                .body("yanked_at", notNullValue())
                .body("yanked_reason", nullValue());
        as(token)
                .body("{\"reason\": \"CVE-2026-1\"}")
                .post(yank)
                .then()
                .statusCode(200)
                .body("yanked_reason", equalTo("CVE-2026-1"));
        as(token)
                .body("{\"reason\": \"CVE-2026-2\"}")
                .post(yank)
                .then()
                .statusCode(200)
                .body("yanked_reason", equalTo("CVE-2026-2"));
        // A yanked version stays readable for pinned runtimes, but is never the latest.
        given().get("/providers/" + canonical + "/versions/1.0.0")
                .then()
                .statusCode(200)
                .body("status", equalTo("yanked"));
        given().get("/providers/" + canonical).then().statusCode(200).body("latest_version", nullValue());

        expectProblem(
                as(token).body("{\"reason\": \"" + "r".repeat(1001) + "\"}").post(yank), 422, "validation");
        expectProblem(as(TestTokens.org("stranger", "org_stranger")).post(yank), 403, "forbidden-namespace");
        expectProblem(as(TestTokens.org(org, "org_id_impostor")).post(unyank), 403, "forbidden-namespace");
        expectProblem(given().post(yank), 401, "unauthorized");

        as(token)
                .post(unyank)
                .then()
                .statusCode(200)
                .body("status", equalTo("published"))
                .body("yanked_at", nullValue())
                .body("yanked_reason", nullValue());
        as(token).post(unyank).then().statusCode(200).body("status", equalTo("published"));
        given().get("/providers/" + canonical).then().body("latest_version", equalTo("1.0.0"));
        expectProblem(as(token).post("/providers/" + canonical + "/versions/3.0.0/yank"), 404, "not-found");
    }

    @Test
    void buildingAndFailedVersionsAreNotYankable() {
        String name = unique("notyank");
        String canonical = org + "/" + name;
        publishVersion(canonical, "1.0.0");
        Served bad = serveWheel(name, "1.1.0");
        publish(body(canonical, "1.1.0", bad.url()).put("sha256", "0".repeat(64)))
                .then()
                .statusCode(422);
        expectProblem(as(token).post("/providers/" + canonical + "/versions/1.1.0/yank"), 409, "version-not-yankable")
                .body("detail", containsString("failed"));
        expectProblem(
                as(token).post("/providers/" + canonical + "/versions/1.1.0/unyank"), 409, "version-not-yankable");
        db.preparedQuery("UPDATE provider_versions SET status = 'building', lease_until = now() + interval '1 hour' "
                        + "WHERE prefix = $1 AND name = $2 AND version = '1.1.0'")
                .executeAndAwait(Tuple.of(org, name));
        expectProblem(as(token).post("/providers/" + canonical + "/versions/1.1.0/yank"), 409, "version-not-yankable")
                .body("detail", containsString("building"));
    }

    @Test
    void latestVersionFollowsPublishesYanksAndUnyanks() {
        String canonical = org + "/" + unique("latest");
        String latest = "/providers/" + canonical;
        publishVersion(canonical, "1.0.0-rc.1");
        given().get(latest).then().body("latest_version", equalTo("1.0.0-rc.1"));
        publishVersion(canonical, "0.9.0");
        given().get(latest).then().body("latest_version", equalTo("0.9.0"));
        publishVersion(canonical, "1.0.0");
        given().get(latest).then().body("latest_version", equalTo("1.0.0"));
        publishVersion(canonical, "2.0.0-beta.1");
        given().get(latest).then().body("latest_version", equalTo("1.0.0"));
        as(token).post(latest + "/versions/1.0.0/yank").then().statusCode(200);
        given().get(latest).then().body("latest_version", equalTo("0.9.0"));
        as(token).post(latest + "/versions/0.9.0/yank").then().statusCode(200);
        given().get(latest).then().body("latest_version", equalTo("2.0.0-beta.1"));
        as(token).post(latest + "/versions/1.0.0/unyank").then().statusCode(200);
        given().get(latest).then().body("latest_version", equalTo("1.0.0"));
    }
}
