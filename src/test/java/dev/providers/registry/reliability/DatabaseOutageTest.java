package dev.providers.registry.reliability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.providers.registry.support.CapturedLogs;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestWheelServer;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Promises of the service when PostgreSQL goes away, injected for real: the test's own PostgreSQL server
 * ({@link FaultyDatabase}, never the machine's) is stopped, or the TCP proxy in front of it refuses or black-holes
 * connections.
 * <ul>
 * <li>PostgreSQL stops between the claim and the finalize of a publish: 503 {@code database-unavailable} with
 * {@code Retry-After} within the deadline; once it is back and the lease lapsed the row is {@code failed}, a retry
 * publishes it, and no duplicate or orphan row exists. (The attempt-id fence against a late finalize after a
 * takeover: {@code publish.LeaseAndSweeperTest#aLateFinalizeOfATakenOverAttemptChangesNothing}.)</li>
 * <li>PostgreSQL down at request time, refused or black-holed: publishes and reads answer 503 quickly, readiness
 * goes DOWN and comes back UP by itself, and the service works again without a restart.</li>
 * </ul>
 * Short limits: fetch deadline 4 s + lease margin 1 s; connect 1 s, acquire 2 s, operation deadline 3 s,
 * readiness 1 s.
 */
@QuarkusTest
@WithTestResource(
        value = FaultyDatabase.class,
        scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = {
            @ResourceArg(name = "registry.fetch.deadline", value = "4s"),
            @ResourceArg(name = "registry.fetch.idle-timeout", value = "4s"),
            @ResourceArg(name = "registry.publish.lease-margin", value = "1s"),
            @ResourceArg(name = "registry.publish.sweep-interval", value = "1s"),
            @ResourceArg(name = "registry.db.connect-timeout", value = "1s"),
            @ResourceArg(name = "registry.db.acquire-timeout", value = "2s"),
            @ResourceArg(name = "registry.db.operation-deadline", value = "3s"),
            @ResourceArg(name = "registry.db.health-timeout", value = "1s")
        })
class DatabaseOutageTest extends RegistryTestBase {

    /** Operation deadline (3 s) plus slack for a loaded CI machine. */
    private static final long QUICK_503_MILLIS = 5_000;

    private FaultyDatabase db;

    /** ERROR records the application logs during a test: none is allowed (a fault is answered, not crashed on). */
    private CapturedLogs logs;

    @BeforeEach
    void collectErrors() {
        logs = CapturedLogs.install();
    }

    @AfterEach
    void noErrorWasLogged() {
        logs.close();
        assertEquals(List.of(), logs.errors(), "the application logged errors");
    }

    @BeforeEach
    void database() {
        db = FaultyDatabase.current();
        assertTrue(
                db.query("SHOW port").contains(Integer.toString(FaultyDatabase.SERVER_PORT)),
                "the fault tests run on their own PostgreSQL server");
    }

    @AfterEach
    void heal() {
        db.startServer();
        db.proxy().mode(DatabaseProxy.Mode.FORWARD);
        awaitTrue(Duration.ofSeconds(20), () -> readinessStatus() == 200, "readiness did not come back UP");
    }

    /**
     * A periodic sweep whose transaction begins on a connection that the outage has just closed fails inside Hibernate
     * Reactive, which logs an ERROR of its own before the sweeper logs its WARN: the ERROR is configured away (seen
     * once in CI, when PostgreSQL stopped at the moment a sweep began), so the failure is logged once, by its handler.
     */
    @Test
    void hibernateReactivesOwnTransactionErrorsAreLeftToTheCodeThatHandlesThem() {
        Logger.getLogger("org.hibernate.reactive.pool.impl.SqlClientConnection")
                .error("Failed to start a transaction: the connection was closed");
        // noErrorWasLogged fails the test if that record reached a handler
    }

    @Test
    void theAppUsesTheFaultTestServerEvenWhenAnotherDatabaseIsConfigured() {
        // the application's own view: the proxy port, whatever QUARKUS_DATASOURCE_* says
        String name = unique("where");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);
        assertEquals(List.of("1"), db.query("SELECT count(*) FROM provider_versions WHERE prefix = '" + org + "'"));
    }

    @Test
    void postgresStoppingBetweenClaimAndFinalizeAnswers503ThenTheRowFailsAndARetryPublishes() throws Exception {
        String name = unique("outage");
        byte[] bytes = Wheels.builder(name, "1.0.0").build();
        Served wheel = serve(Wheels.fileName(name, "1.0.0"), bytes);
        TestServers.wheels().route(wheel.path(), TestWheelServer.Behaviour.held(bytes, 64));
        JsonObject request = body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wheel.sha256());

        CompletableFuture<Response> publishing = CompletableFuture.supplyAsync(() -> publish(request));
        awaitTrue(
                Duration.ofSeconds(10),
                () -> "building".equals(status(name)) && TestServers.wheels().heldCount(wheel.path()) == 1,
                "the publish never claimed the row and fetched");

        db.stopServer();
        long stopped = System.nanoTime();
        TestServers.wheels().release(wheel.path());
        Response answer = publishing.get(20, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - stopped) / 1_000_000;
        System.out.printf(
                "[faults] DB stopped mid-fetch: %d %s after %d ms%n",
                answer.statusCode(), answer.jsonPath().getString("type"), millis);
        expectProblem(answer, 503, "database-unavailable")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("database"));
        assertTrue(millis < QUICK_503_MILLIS, "503 took " + millis + " ms");

        db.startServer();
        assertEquals("building", status(name), "the finalize never reached the database");
        // Once the lease (fetch deadline 4 s + margin 1 s) lapsed, reads say failed and the sweeper makes it so.
        awaitTrue(Duration.ofSeconds(15), () -> "failed".equals(status(name)), "the sweeper never failed the row");
        readVersion(token, org + "/" + name, "1.0.0")
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_message", containsString("publish interrupted"));

        // A retry publishes it: one row, published with the digest, one provider, no orphan.
        TestServers.wheels().serve(wheel.path(), bytes);
        publish(request)
                .then()
                .statusCode(201)
                .body("status", equalTo("published"))
                .body("wheel_sha256", equalTo(wheel.sha256()));
        assertEquals(
                List.of("1"),
                db.query("SELECT count(*) FROM provider_versions WHERE prefix = '" + org + "' AND name = '" + name
                        + "'"));
        assertEquals(
                List.of("published " + wheel.sha256()),
                db.query("SELECT status || ' ' || wheel_sha256 " + "FROM provider_versions WHERE prefix = '" + org
                        + "' AND name = '" + name + "'"));
        assertEquals(List.of("1"), db.query("SELECT count(*) FROM providers WHERE prefix = '" + org + "'"));
        assertEquals(
                List.of("0"),
                db.query("SELECT count(*) FROM provider_versions v WHERE NOT EXISTS "
                        + "(SELECT 1 FROM providers p WHERE p.id = v.provider_id)"));
    }

    @Test
    void aRefusingDatabaseAnswers503QuicklyAndReadinessFollowsIt() {
        String name = unique("refused");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);

        db.proxy().mode(DatabaseProxy.Mode.REFUSE);
        long readinessDown = timeUntil(Duration.ofSeconds(10), () -> readinessStatus() == 503);
        System.out.printf("[faults] refused: readiness DOWN %d ms after the outage%n", readinessDown);
        assertTrue(readinessDown < 3_000, "readiness answered DOWN after " + readinessDown + " ms");
        assertQuick503("publish (refused)", () -> publish(body(org + "/" + unique("other"), "1.0.0", wheel.url())));
        assertQuick503("read (refused)", () -> given().get("/providers/" + org + "/" + name));

        db.proxy().mode(DatabaseProxy.Mode.FORWARD);
        long up = timeUntil(Duration.ofSeconds(20), () -> readinessStatus() == 200);
        System.out.printf("[faults] refused: readiness UP %d ms after the database came back%n", up);
        given().get("/providers/" + org + "/" + name).then().statusCode(200);
    }

    @Test
    void aStoppedServerAnswers503QuicklyAndTheServiceRecoversAfterARestartOnTheSamePort() {
        String name = unique("stopped");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);

        db.stopServer();
        assertQuick503(
                "publish (server stopped)", () -> publish(body(org + "/" + unique("other"), "1.0.0", wheel.url())));
        assertQuick503("read (server stopped)", () -> given().get("/providers/" + org + "/" + name + "/versions"));
        timeUntil(Duration.ofSeconds(10), () -> readinessStatus() == 503);

        db.startServer();
        long up = timeUntil(Duration.ofSeconds(20), () -> readinessStatus() == 200);
        System.out.printf("[faults] server restarted: readiness UP %d ms after it accepted connections%n", up);
        given().get("/providers/" + org + "/" + name).then().statusCode(200);
        String again = unique("again");
        Served second = serveWheel(again, "1.0.0");
        publish(body(org + "/" + again, "1.0.0", second.url())).then().statusCode(201);
    }

    @Test
    void aBlackHoledDatabaseAnswers503WithinTheDeadlineAndTheServiceRecoversByItself() {
        String name = unique("blackhole");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);

        db.proxy().mode(DatabaseProxy.Mode.BLACK_HOLE);
        long readinessDown = timeUntil(Duration.ofSeconds(10), () -> readinessStatus() == 503);
        System.out.printf("[faults] black hole: readiness DOWN %d ms after the outage%n", readinessDown);
        assertTrue(readinessDown < 3_000, "readiness answered DOWN after " + readinessDown + " ms");
        String lost = unique("lost");
        Served lostWheel = serveWheel(lost, "1.0.0");
        assertQuick503("publish (black hole)", () -> publish(body(org + "/" + lost, "1.0.0", lostWheel.url())));
        // More concurrent requests than the pool has connections (20): none waits for a connection for long, and
        // none of the connections they hold is lost once the network is back (checked below).
        List<CompletableFuture<Void>> reads = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(25);
        try {
            for (int i = 0; i < 25; i++) {
                int n = i;
                reads.add(CompletableFuture.runAsync(
                        () -> assertQuick503(
                                "read (black hole) #" + n, () -> given().get("/providers/" + org + "/" + name)),
                        clients));
            }
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("concurrent reads during the black hole", e);
        } finally {
            clients.shutdownNow();
        }

        db.proxy().mode(DatabaseProxy.Mode.FORWARD);
        long up = timeUntil(Duration.ofSeconds(20), () -> readinessStatus() == 200);
        System.out.printf("[faults] black hole: readiness UP %d ms after the network came back%n", up);
        // No connection leaked while the database was away: more reads than the pool holds, all answered.
        for (int i = 0; i < 40; i++) {
            given().get("/providers/" + org + "/" + name).then().statusCode(200);
        }
        // The publish that got 503 may have claimed its row before the database went silent: at most one row,
        // which is never published without a digest, reads failed once its lease lapsed, and a retry publishes it.
        awaitTrue(
                Duration.ofSeconds(15),
                () -> {
                    String s = status(lost);
                    return s == null || "failed".equals(s);
                },
                "the black-holed publish's row did not end failed");
        publish(body(org + "/" + lost, "1.0.0", lostWheel.url())).then().statusCode(201);
        assertEquals(
                List.of("1"),
                db.query("SELECT count(*) FROM provider_versions WHERE prefix = '" + org + "' AND name = '" + lost
                        + "'"));
    }

    @Test
    void aWheelServerTimeoutIsNeverReportedAsADatabaseFailureNorTheReverse() {
        String name = unique("slowwheel");
        Served wheel = serveWheel(name, "1.0.0");
        TestServers.wheels().route(wheel.path(), TestWheelServer.Behaviour.noAnswer());
        expectProblem(publish(body(org + "/" + name, "1.0.0", wheel.url())), 504, "fetch-timeout");
        assertEquals("failed", status(name));
    }

    // ------------------------------------------------------------------------------------------------

    private void assertQuick503(String what, Supplier<Response> call) {
        long started = System.nanoTime();
        Response response;
        try {
            response = CompletableFuture.supplyAsync(call).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(what + ": no answer within 30 s", e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "[faults] %s: %d %s in %d ms%n", what, response.statusCode(), response.getContentType(), millis);
        expectProblem(response, 503, "database-unavailable").header("Retry-After", notNullValue());
        assertTrue(millis < QUICK_503_MILLIS, what + ": 503 took " + millis + " ms");
    }

    private static int readinessStatus() {
        try {
            return CompletableFuture.supplyAsync(
                            () -> given().get("/q/health/ready").statusCode())
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("readiness did not answer within 30 s", e);
        }
    }

    /** Milliseconds until {@code condition} holds (polled every 100 ms), failing after {@code limit}. */
    private static long timeUntil(Duration limit, BooleanSupplier condition) {
        long started = System.nanoTime();
        awaitTrue(limit, condition, "condition not met within " + limit);
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void awaitTrue(Duration limit, BooleanSupplier condition, String message) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(message);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    private String status(String name) {
        List<String> rows =
                db.query("SELECT status FROM provider_versions WHERE prefix = '" + org + "' AND name = '" + name + "'");
        return rows.isEmpty() ? null : rows.get(0);
    }
}
