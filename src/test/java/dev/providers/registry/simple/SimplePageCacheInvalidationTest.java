package dev.providers.registry.simple;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.db.BoundedPgPoolCreator;
import dev.providers.registry.publish.PublishRequestParser;
import dev.providers.registry.publish.PublishRoute;
import dev.providers.registry.publish.StaleAttemptSweeper;
import dev.providers.registry.publish.VersionLedger;
import dev.providers.registry.support.Eventually;
import dev.providers.registry.support.Multipart;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.Wheels;
import dev.providers.registry.wheel.ProjectName;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnection;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache of public project pages against every change of a page, through the HTTP API: each one shows on the next
 * read of the same instance, and is announced by the database to every other instance (seen here by a listening
 * connection of the test's own, and by changes committed behind this instance's back). The cache is used only while
 * its connection listens.
 */
@QuarkusTest
class SimplePageCacheInvalidationTest extends RegistryTestBase {

    private static final String PIP_ACCEPT =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
    private static final Duration NOTICE = Duration.ofSeconds(10);
    private static final int WAIT_SECONDS = (int) NOTICE.toSeconds();

    @Inject
    Pool db;

    @Inject
    Vertx vertx;

    @Inject
    BoundedPgPoolCreator pools;

    @Inject
    SimplePageCache cache;

    @Inject
    SimplePageListener listener;

    @Inject
    CoreMetadataBackfill backfill;

    @Inject
    VersionLedger ledger;

    @Inject
    PublishRequestParser parser;

    @Inject
    StaleAttemptSweeper sweeper;

    private String name;
    private String project;
    private String page;
    private PgConnection otherInstance;
    private final LinkedBlockingQueue<String> announced = new LinkedBlockingQueue<>();

    @BeforeEach
    void listening() throws Exception {
        name = unique("cached");
        project = ProjectName.normalize(name);
        page = "/simple/" + org + "/" + project + "/";
        Eventually.await(listener::listening, WAIT_SECONDS, "the cache listens");
        otherInstance = PgConnection.connect(vertx, pools.servers().get(0))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        otherInstance.notificationHandler(n -> announced.add(n.getPayload()));
        otherInstance
                .query("LISTEN " + SimplePageListener.CHANNEL)
                .execute()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeOtherInstance() {
        if (otherInstance != null) {
            otherInstance.close();
        }
    }

    private void publishVersion(String pep440) {
        publish(body(org + "/" + name, pep440, serveWheel(name, pep440).url()))
                .then()
                .statusCode(201);
    }

    private JsonPath anonymousPage() {
        return given().accept(PIP_ACCEPT)
                .get(page)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private List<String> files() {
        return anonymousPage().getList("files.filename");
    }

    private String file(String pep440) {
        return Wheels.fileName(name, pep440);
    }

    private boolean cached() {
        return cache.get(SimplePageCache.key(org, project, SimpleFormat.JSON)) != null;
    }

    /** The page was announced on the channel, as every other instance hears it. */
    private void announcedToOtherInstances() throws InterruptedException {
        long end = System.nanoTime() + NOTICE.toNanos();
        String expected = org + "/" + project;
        while (System.nanoTime() < end) {
            String payload = announced.poll(100, TimeUnit.MILLISECONDS);
            if (expected.equals(payload)) {
                announced.clear();
                return;
            }
        }
        fail("no announcement of " + expected + " within " + NOTICE);
    }

    /**
     * Waits until this instance's listener has heard every announcement committed so far (they arrive in commit
     * order): a marker announced last has dropped the absence of its project from the cache.
     */
    private void heardEverything() {
        String marker = unique("marker");
        String key = SimplePageCache.key(org, marker, SimpleFormat.TEXT_HTML);
        // a page read while another change is being heard is served but not cached (the generation moved): ask again
        Eventually.await(
                () -> {
                    expectProblem(given().get("/simple/" + org + "/" + marker + "/"), 404, "not-found");
                    return cache.get(key) != null;
                },
                WAIT_SECONDS,
                "the marker's absence was cached");
        db.query("NOTIFY " + SimplePageListener.CHANNEL + ", '" + org + "/" + marker + "'")
                .execute()
                .await()
                .atMost(NOTICE);
        Eventually.await(() -> cache.get(key) == null, WAIT_SECONDS, "the marker was heard");
    }

    /**
     * A change of a version committed with its trigger off, which only its transaction sees: nobody is told (as if
     * the announcement were lost). The table's owner may do this; {@code session_replication_role} would need a
     * superuser, which CI's own role is not.
     */
    private void silently(String sql, Tuple params) {
        String trigger = "ALTER TABLE provider_versions %s TRIGGER provider_versions_page_updated";
        db.withTransaction(c -> c.query(trigger.formatted("DISABLE"))
                        .execute()
                        .chain(() -> c.preparedQuery(sql).execute(params))
                        .chain(() -> c.query(trigger.formatted("ENABLE")).execute()))
                .await()
                .atMost(NOTICE);
    }

    private void yankSilently(String pep440) {
        silently(
                "UPDATE provider_versions SET status = 'yanked', yanked_reason = 'quietly' "
                        + "WHERE prefix = $1 AND name = $2 AND pep440 = $3",
                Tuple.of(org, name, pep440));
    }

    @Test
    void anAnonymousPageComesFromTheCacheUntilTheDatabaseAnnouncesAChange() throws Exception {
        publishVersion("1.0.0");
        heardEverything();
        assertEquals(false, anonymousPage().getBoolean("files[0].yanked"));
        assertTrue(cached());

        yankSilently("1.0.0");
        assertEquals(false, anonymousPage().getBoolean("files[0].yanked"), "served from the cache");
        given().header("Authorization", TestTokens.bearer(token))
                .accept(PIP_ACCEPT)
                .get(page)
                .then()
                .statusCode(200)
                .body("files[0].yanked", equalTo("quietly")); // the owner's view: always the database

        // what another instance's write announces
        db.query("NOTIFY " + SimplePageListener.CHANNEL + ", '" + org + "/" + project + "'")
                .execute()
                .await()
                .atMost(NOTICE);
        Eventually.await(
                () -> "quietly".equals(anonymousPage().get("files[0].yanked")),
                WAIT_SECONDS,
                "the announced page is read again");
    }

    @Test
    void aChangeCommittedElsewhereIsAnnouncedByTheDatabaseItself() throws Exception {
        publishVersion("1.0.0");
        heardEverything();
        anonymousPage();
        assertTrue(cached());
        announced.clear();

        // another instance, an operator's SQL, a job: none of this instance's code runs
        db.preparedQuery("UPDATE provider_versions SET status = 'yanked', yanked_reason = 'elsewhere' "
                        + "WHERE prefix = $1 AND name = $2")
                .execute(Tuple.of(org, name))
                .await()
                .atMost(NOTICE);
        announcedToOtherInstances();
        Eventually.await(
                () -> "elsewhere".equals(anonymousPage().get("files[0].yanked")), WAIT_SECONDS, "the page changed");
    }

    @Test
    void everyWriteThroughTheApiShowsAtOnceHereAndIsAnnouncedToOtherInstances() throws Exception {
        publishVersion("1.0.0");
        assertEquals(List.of(file("1.0.0")), files());
        announcedToOtherInstances();

        publishVersion("1.1.0");
        assertEquals(List.of(file("1.0.0"), file("1.1.0")), files());
        announcedToOtherInstances();

        as(token)
                .body("{\"reason\": \"broken\"}")
                .post("/providers/" + org + "/" + name + "/versions/1.1.0/yank")
                .then()
                .statusCode(200);
        assertEquals("broken", anonymousPage().get("files[1].yanked"));
        announcedToOtherInstances();

        as(token)
                .post("/providers/" + org + "/" + name + "/versions/1.1.0/unyank")
                .then()
                .statusCode(200);
        assertEquals(false, anonymousPage().get("files[1].yanked"));
        announcedToOtherInstances();

        as(token)
                .body("{\"scope\": \"tenant\"}")
                .patch("/providers/" + org + "/" + name)
                .then()
                .statusCode(200);
        expectProblem(given().accept(PIP_ACCEPT).get(page), 404, "not-found");
        announcedToOtherInstances();
        heardEverything();
        expectProblem(given().accept(PIP_ACCEPT).get(page), 404, "not-found");
        assertNotNull(cache.get(SimplePageCache.key(org, project, SimpleFormat.JSON)), "the absence is kept too");

        as(token)
                .body("{\"scope\": \"public\"}")
                .patch("/providers/" + org + "/" + name)
                .then()
                .statusCode(200);
        assertEquals(2, files().size());
        announcedToOtherInstances();

        as(token).delete("/providers/" + org + "/" + name).then().statusCode(204);
        expectProblem(given().accept(PIP_ACCEPT).get(page), 404, "not-found");
        expectProblem(given().get(page), 404, "not-found");
        announcedToOtherInstances();
    }

    @Test
    void anUploadedWheelShowsAtOnce() throws Exception {
        publishVersion("1.0.0");
        assertEquals(1, files().size());
        byte[] wheel = Wheels.builder(name, "2.0.0").build();
        Multipart upload =
                Multipart.sdk(Multipart.sdkMetadata(name, "2.0.0", "Display", "About"), file("2.0.0"), wheel);
        given().header("Authorization", TestTokens.bearer(token))
                .contentType(upload.contentType())
                .body(upload.bytes())
                .post("/providers/publish")
                .then()
                .statusCode(201);
        JsonPath after = anonymousPage();
        assertEquals(file("2.0.0"), after.getString("files[1].filename"));
        assertEquals("/files/" + Wheels.sha256Hex(wheel) + "/" + file("2.0.0"), after.getString("files[1].url"));
        announcedToOtherInstances();
    }

    @Test
    void theMetadataBackfillShowsAtOnce() throws Exception {
        publishVersion("1.0.0");
        String captured = anonymousPage().getString("files[0].core-metadata.sha256");
        assertNotNull(captured);
        // as the V6 migration leaves a version published before it (an announced change: the page loses it)
        db.preparedQuery("UPDATE version_files f SET core_metadata = NULL, core_metadata_sha256 = NULL, "
                        + "requires_python = NULL, core_metadata_state = 'pending', retry_at = NULL "
                        + "FROM provider_versions v WHERE v.id = f.version_id AND v.prefix = $1 AND v.name = $2")
                .execute(Tuple.of(org, name))
                .await()
                .atMost(NOTICE);
        announcedToOtherInstances();
        heardEverything();
        assertEquals(false, anonymousPage().get("files[0].core-metadata"));
        assertTrue(cached());

        assertTrue(backfill.runOnce().await().atMost(NOTICE) >= 1);
        assertEquals(captured, anonymousPage().getString("files[0].core-metadata.sha256"));
        announcedToOtherInstances();
    }

    @Test
    void aLapsedBuildNeverShowsAndPublishingItAgainShowsAtOnce() throws Throwable {
        publishVersion("1.0.0");
        Served wheel = serveWheel(name, "2.0.0");
        Caller owner = new Caller("user", null, org, orgId, "Org", Set.of(), null);
        var command = parser.parse(
                body(org + "/" + name, "2.0.0", wheel.url()).encode().getBytes(StandardCharsets.UTF_8), owner);
        VertxContextSupport.subscribeAndAwait(() -> ledger.claim(command, owner, PublishRoute.PUBLIC));
        assertEquals(List.of(file("1.0.0")), files(), "building: not on the page");
        db.preparedQuery("UPDATE provider_versions SET lease_until = now() - interval '1 second' "
                        + "WHERE prefix = $1 AND name = $2 AND pep440 = '2.0.0'")
                .execute(Tuple.of(org, name))
                .await()
                .atMost(NOTICE);
        VertxContextSupport.subscribeAndAwait(sweeper::sweep);
        assertEquals(List.of(file("1.0.0")), files(), "failed: not on the page");

        publish(body(org + "/" + name, "2.0.0", wheel.url())).then().statusCode(201);
        assertEquals(List.of(file("1.0.0"), file("2.0.0")), files());
        announcedToOtherInstances();
    }

    @Test
    void theRouteAnswersWithTheBytesAndHeadersOfTheResource() {
        publishVersion("1.0.0");
        publishVersion("1.1.0");
        for (String accept : new String[] {PIP_ACCEPT, "text/html", "application/vnd.pypi.simple.v1+html"}) {
            Response anonymous = given().accept(accept).get(page);
            // the owner's view of a public project is the same page, rendered by the resource for each request
            Response owner = given().header("Authorization", TestTokens.bearer(token))
                    .accept(accept)
                    .get(page);
            assertEquals(200, anonymous.statusCode());
            assertEquals(200, owner.statusCode());
            assertArrayEquals(owner.asByteArray(), anonymous.asByteArray(), accept);
            for (String header : new String[] {"Content-Type", "ETag", "Vary"}) {
                assertEquals(owner.header(header), anonymous.header(header), header);
            }
            assertEquals("no-cache", anonymous.header("Cache-Control"));
            assertEquals("private, no-cache", owner.header("Cache-Control"));
            assertEquals(String.valueOf(anonymous.asByteArray().length), anonymous.header("Content-Length"));
            assertNotNull(anonymous.header("X-Request-Id"));

            Response notModified = given().accept(accept)
                    .header("If-None-Match", "\"other\", W/" + anonymous.header("ETag"))
                    .get(page);
            assertEquals(304, notModified.statusCode());
            assertEquals(anonymous.header("ETag"), notModified.header("ETag"));
            assertEquals("Accept, Authorization", notModified.header("Vary"));
            assertEquals("no-cache", notModified.header("Cache-Control"));
            assertEquals(0, notModified.asByteArray().length);
        }
        // HEAD goes on to the resource
        given().head(page)
                .then()
                .statusCode(200)
                .header("ETag", given().get(page).header("ETag"));

        String missing = "/simple/" + org + "/no-such-" + project + "/";
        Response anonymous = given().accept(PIP_ACCEPT).get(missing);
        Response owner = given().header("Authorization", TestTokens.bearer(token))
                .accept(PIP_ACCEPT)
                .get(missing);
        expectProblem(anonymous, 404, "not-found");
        expectProblem(owner, 404, "not-found");
        assertEquals(owner.jsonPath().getString("detail"), anonymous.jsonPath().getString("detail"));
        assertEquals(
                owner.jsonPath().getString("instance"), anonymous.jsonPath().getString("instance"));
        assertEquals(anonymous.header("X-Request-Id"), anonymous.jsonPath().getString("request_id"));
    }

    @Test
    void aListeningConnectionThatIsCutOrStopsAnsweringEmptiesTheCache() throws Exception {
        publishVersion("1.0.0");
        heardEverything();
        anonymousPage();
        yankSilently("1.0.0");
        assertEquals(false, anonymousPage().getBoolean("files[0].yanked"), "served from the cache");

        int cut = listener.backendPid();
        db.query("SELECT pg_terminate_backend(" + cut + ")").execute().await().atMost(NOTICE);
        Eventually.await(
                () -> listener.listening() && listener.backendPid() != cut, WAIT_SECONDS, "a new listening connection");
        assertEquals("quietly", anonymousPage().get("files[0].yanked"), "the cache started empty");

        // a listening connection that stops answering (its server process stopped): found by the liveness query
        int stopped = listener.backendPid();
        Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(stopped)).start();
        Assumptions.assumeTrue(stop.waitFor() == 0, "the database server's processes can be signalled from here");
        try {
            anonymousPage();
            silently(
                    "UPDATE provider_versions SET yanked_reason = 'while stopped' WHERE prefix = $1 AND name = $2",
                    Tuple.of(org, name));
            Eventually.await(
                    () -> listener.listening() && listener.backendPid() != stopped,
                    WAIT_SECONDS,
                    "a new listening connection");
            assertEquals("while stopped", anonymousPage().get("files[0].yanked"), "the cache started empty");
        } finally {
            new ProcessBuilder("kill", "-CONT", String.valueOf(stopped)).start().waitFor();
        }
        assertNotEquals(0, listener.backendPid());
        assertNull(cache.get(SimplePageCache.key(org, "never-read", SimpleFormat.JSON)));
    }
}
