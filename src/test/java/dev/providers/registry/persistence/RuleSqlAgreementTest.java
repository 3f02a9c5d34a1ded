package dev.providers.registry.persistence;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Where a rule is needed in SQL, the SQL is written from its Java definition; here the database and the Java rule
 * are asked the same question on sample data and must answer alike.
 */
@QuarkusTest
class RuleSqlAgreementTest extends RegistryTestBase {

    @Inject
    Pool db;

    @Inject
    NamespacePolicy policy;

    @Test
    void publicStatusesAgree() {
        for (VersionStatus status : VersionStatus.values()) {
            boolean inSql = db.preparedQuery("SELECT $1 IN " + VersionStatus.PUBLIC_SQL)
                    .executeAndAwait(Tuple.of(status.wire()))
                    .iterator()
                    .next()
                    .getBoolean(0);
            assertEquals(status.isPublic(), inSql, status.wire());
        }
    }

    @Test
    void versionOrdersAgree() {
        String name = unique("order");
        long providerId = insertProvider(org, name, orgId);
        Map<String, VersionStatus> versions = Map.of(
                "2.0.0-beta.1",
                VersionStatus.PUBLISHED,
                "1.10.0",
                VersionStatus.PUBLISHED,
                "1.2.0",
                VersionStatus.PUBLISHED,
                "1.2.0+build.1",
                VersionStatus.FAILED,
                "1.0.0-rc.10",
                VersionStatus.PUBLISHED,
                "1.0.0-rc.2",
                VersionStatus.YANKED,
                "1.0.0",
                VersionStatus.PUBLISHED,
                "0.9.9",
                VersionStatus.BUILDING,
                "11.0.0-alpha",
                VersionStatus.PUBLISHED,
                "1.0.0-dev.3",
                VersionStatus.PUBLISHED);
        versions.forEach((version, status) -> insertVersion(providerId, org, name, SemVer.parse(version), status));

        List<String> listed = given().header("Authorization", TestTokens.bearer(token))
                .get("/providers/" + org + "/" + name + "/versions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("version", String.class);
        assertEquals(sorted(versions.keySet(), VersionOrder.HIGHEST_FIRST.comparator()), listed);

        // Unyank recomputes latest_version in SQL; Java ranks the published versions for the same answer.
        as(token)
                .post("/providers/" + org + "/" + name + "/versions/1.0.0/yank")
                .then()
                .statusCode(200);
        as(token)
                .post("/providers/" + org + "/" + name + "/versions/1.0.0/unyank")
                .then()
                .statusCode(200);
        List<String> published = versions.entrySet().stream()
                .filter(e -> e.getValue() == VersionStatus.PUBLISHED)
                .map(Map.Entry::getKey)
                .toList();
        String latest = given().header("Authorization", TestTokens.bearer(token))
                .get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("latest_version");
        assertEquals(sorted(published, VersionOrder.LATEST_FIRST.comparator()).get(0), latest);
        assertEquals("1.10.0", latest);
    }

    @Test
    void runtimeVersionsListInTheJavaOrder() {
        // Pre-releases below 1.0.0: never pinned, so other tests keep their runtime.
        String id = "ord" + UUID.randomUUID().toString().substring(0, 6);
        for (String version :
                List.of("0.0.1-" + id + "+b", "0.0.1-" + id + "+a", "0.0.1-" + id + ".1", "0.0.0-" + id)) {
            SemVer v = SemVer.parse(version);
            db.preparedQuery("INSERT INTO runtime_versions (version, precedence_key, pre_release, image_url) "
                            + "VALUES ($1, $2, $3, 'ghcr.io/x/runtime:order')")
                    .executeAndAwait(Tuple.of(v.text(), v.precedenceKey(), v.isPreRelease()));
        }
        List<String> listed = given().get("/runtime/versions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("version", String.class);
        assertEquals(sorted(listed, VersionOrder.HIGHEST_FIRST.comparator()), listed);
    }

    @Test
    void theSqlOrderOfRuntimeVersionsIsTheJavaOrder() {
        String id = "sql" + UUID.randomUUID().toString().substring(0, 6);
        for (String version : List.of("0.0.2-" + id + "+b", "0.0.2-" + id + "+a", "0.0.2-" + id, "0.0.1-" + id)) {
            SemVer v = SemVer.parse(version);
            db.preparedQuery("INSERT INTO runtime_versions (version, precedence_key, pre_release, image_url) "
                            + "VALUES ($1, $2, $3, 'ghcr.io/x/runtime:order')")
                    .executeAndAwait(Tuple.of(v.text(), v.precedenceKey(), v.isPreRelease()));
        }
        List<String> listed = new ArrayList<>();
        db.query("SELECT version FROM runtime_versions ORDER BY " + VersionOrder.HIGHEST_FIRST.sql())
                .executeAndAwait()
                .forEach(row -> listed.add(row.getString(0)));
        assertEquals(sorted(listed, VersionOrder.HIGHEST_FIRST.comparator()), listed);
    }

    @Test
    void ownershipAgrees() {
        String name = unique("owned");
        String otherOrg = unique("org");
        String otherOrgId = "org_id_" + otherOrg;
        String reserved = policy.reservedPrefixes().get(0);
        insertProvider(org, name, orgId);
        insertProvider(otherOrg, name, otherOrgId);
        insertProvider(reserved, name, orgId);
        Set<String> publisher = Set.of(TestTokens.PUBLISHER_GROUP);
        List<Caller> callers = List.of(
                Caller.ANONYMOUS,
                new Caller("a", null, org, orgId, null, Set.of(), null),
                new Caller("b", null, otherOrg, otherOrgId, null, Set.of(), null),
                new Caller("p", null, null, null, null, publisher, null),
                new Caller("pa", null, org, orgId, null, publisher, null));
        for (Caller caller : callers) {
            List<Object> params = new ArrayList<>();
            String owned = policy.ownedProvidersSql(caller, params);
            Set<String> bySql = new TreeSet<>();
            if (owned != null) {
                params.add(name);
                for (Row row : db.preparedQuery("SELECT p.prefix FROM providers p WHERE p.name = $" + params.size()
                                + " AND (" + owned + ")")
                        .executeAndAwait(Tuple.from(params))) {
                    bySql.add(row.getString(0));
                }
            }
            Set<String> byJava = new TreeSet<>();
            for (Row row : db.preparedQuery("SELECT prefix, owner_org_id FROM providers WHERE name = $1")
                    .executeAndAwait(Tuple.of(name))) {
                if (policy.isOwner(caller, row.getString(0), row.getString(1))) {
                    byJava.add(row.getString(0));
                }
            }
            assertEquals(byJava, bySql, caller.subject() + " owns");
        }
        assertFalse(policy.isOwner(callers.get(1), reserved, orgId), "a reserved prefix is not its recorded owner's");
    }

    @Test
    void visibilityAgreesBetweenReadAndSearch() {
        String tag = "vis" + UUID.randomUUID().toString().substring(0, 8);
        String otherOrg = unique("org");
        List<String> canonicals = new ArrayList<>();
        for (String scope : List.of("public", "tenant")) {
            for (VersionStatus status : new VersionStatus[] {
                null, VersionStatus.BUILDING, VersionStatus.FAILED, VersionStatus.PUBLISHED, VersionStatus.YANKED
            }) {
                for (String owner : List.of(org, otherOrg)) {
                    String name = tag + "-" + scope + "-" + (status == null ? "none" : status.wire());
                    long id = insertProvider(owner, name, owner.equals(org) ? orgId : "org_id_" + otherOrg);
                    db.preparedQuery("UPDATE providers SET scope = $1 WHERE id = $2")
                            .executeAndAwait(Tuple.of(scope, id));
                    if (status != null) {
                        insertVersion(id, owner, name, SemVer.parse("1.0.0"), status);
                    }
                    canonicals.add(owner + "/" + name);
                }
            }
        }
        for (String jwt :
                new String[] {null, token, TestTokens.org(otherOrg, "org_id_" + otherOrg), TestTokens.publisher()}) {
            Set<String> readable = new TreeSet<>();
            for (String canonical : canonicals) {
                int status = (jwt == null ? given() : given().header("Authorization", TestTokens.bearer(jwt)))
                        .get("/providers/" + canonical)
                        .then()
                        .extract()
                        .statusCode();
                if (status == 200) {
                    readable.add(canonical);
                }
            }
            Set<String> found =
                    new TreeSet<>((jwt == null ? given() : given().header("Authorization", TestTokens.bearer(jwt)))
                            .queryParam("q", tag)
                            .queryParam("limit", 100)
                            .get("/providers")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("items.canonical", String.class));
            assertEquals(readable, found);
        }
    }

    private long insertProvider(String prefix, String name, String ownerOrgId) {
        return db.preparedQuery("""
                INSERT INTO providers (prefix, name, owner_org_id, owner_name, display_name)
                VALUES ($1, $2, $3, 'Owner', $2) RETURNING id""")
                .executeAndAwait(Tuple.of(prefix, name, ownerOrgId))
                .iterator()
                .next()
                .getLong(0);
    }

    private void insertVersion(long providerId, String prefix, String name, SemVer version, VersionStatus status) {
        db.preparedQuery("""
                INSERT INTO provider_versions (provider_id, prefix, name, version, pep440, precedence_key, pre_release,
                    status, runtime_version, wheel_url, wheel_sha256, attempt_id, lease_until)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '1.0.0', 'https://x.test/w.whl', $9, gen_random_uuid(),
                    now() + interval '1 hour')""")
                .executeAndAwait(Tuple.tuple(List.of(
                        providerId,
                        prefix,
                        name,
                        version.text(),
                        version.pep440(),
                        version.precedenceKey(),
                        version.isPreRelease(),
                        status.wire(),
                        "0".repeat(64))));
    }

    private static List<String> sorted(java.util.Collection<String> versions, Comparator<SemVer> order) {
        return versions.stream()
                .map(SemVer::parse)
                .sorted(order)
                .map(SemVer::text)
                .toList();
    }
}
