package dev.providers.registry.publish;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.providers.registry.auth.Caller;
import dev.providers.registry.problem.ProblemException;
import dev.providers.registry.problem.ProblemType;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.wheel.WheelInspection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** The lease of a claimed version: lapsed reads as failed, the sweeper makes it so, the attempt id fences. */
@QuarkusTest
class LeaseAndSweeperTest extends RegistryTestBase {

    @Inject
    VersionLedger ledger;

    @Inject
    PublishRequestParser parser;

    @Inject
    StaleAttemptSweeper sweeper;

    @Inject
    Pool db;

    private Caller caller() {
        return new Caller("user", null, org, orgId, "Org", Set.of(), null);
    }

    private PublishCommand command(String name, Served wheel) {
        return parser.parse(
                body(org + "/" + name, "1.0.0", wheel.url()).encode().getBytes(StandardCharsets.UTF_8), caller());
    }

    private Claim.Attempt claim(PublishCommand command) throws Throwable {
        return (Claim.Attempt)
                VertxContextSupport.subscribeAndAwait(() -> ledger.claim(command, caller(), PublishRoute.PUBLIC));
    }

    private void lapse(String name) {
        db.preparedQuery(
                        "UPDATE provider_versions SET lease_until = now() - interval '1 second' WHERE prefix = $1 AND name = $2")
                .executeAndAwait(Tuple.of(org, name));
    }

    private Row row(String name) {
        return db.preparedQuery(
                        "SELECT status, attempt_id, error_message, wheel_sha256 FROM provider_versions WHERE prefix = $1 AND name = $2")
                .executeAndAwait(Tuple.of(org, name))
                .iterator()
                .next();
    }

    @Test
    void aRunningLeaseIs409WithRetryAfter() throws Throwable {
        String name = unique("busy");
        Served wheel = serveWheel(name, "1.0.0");
        claim(command(name, wheel));
        expectProblem(publish(body(org + "/" + name, "1.0.0", wheel.url())), 409, "publish-in-progress")
                .header("Retry-After", Matchers.notNullValue())
                .body("detail", containsString("being published"));
        readVersion(token, org + "/" + name, "1.0.0").statusCode(200).body("status", equalTo("building"));
    }

    @Test
    void aLapsedLeaseReadsFailedThenTheSweeperMakesItFailed() throws Throwable {
        String name = unique("lapsed");
        Served wheel = serveWheel(name, "1.0.0");
        claim(command(name, wheel));
        lapse(name);

        readVersion(token, org + "/" + name, "1.0.0")
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_message", containsString("publish interrupted"));
        assertEquals("building", row(name).getString("status"), "reads report it; only the sweeper writes it");

        int swept = VertxContextSupport.subscribeAndAwait(sweeper::sweep);
        assertEquals(true, swept >= 1);
        assertEquals("failed", row(name).getString("status"));
        assertEquals(true, row(name).getString("error_message").contains("publish interrupted"));

        // The sweep is audited with the system as its actor.
        as(token)
                .get("/providers/" + org + "/" + name + "/events")
                .then()
                .statusCode(200)
                .body("items[0].action", equalTo("sweep"))
                .body("items[0].actor_sub", equalTo("system"))
                .body("items[0].status_before", equalTo("building"))
                .body("items[0].status_after", equalTo("failed"));

        // A failed version is retried by the next publish.
        publish(body(org + "/" + name, "1.0.0", wheel.url()))
                .then()
                .statusCode(201)
                .body("status", equalTo("published"));
    }

    @Test
    void aLateFinalizeOfATakenOverAttemptChangesNothing() throws Throwable {
        String name = unique("fence");
        Served wheel = serveWheel(name, "1.0.0");
        PublishCommand command = command(name, wheel);
        Claim.Attempt old = claim(command);
        lapse(name);
        Claim.Attempt current = claim(command);
        assertEquals(old.versionId(), current.versionId());

        WheelInspection forged = new WheelInspection("f".repeat(64), 10, null, 1);
        ProblemException fenced = assertThrows(
                ProblemException.class,
                () -> VertxContextSupport.subscribeAndAwait(() -> ledger.finish(old, command, forged, caller())));
        assertEquals(ProblemType.PUBLISH_IN_PROGRESS, fenced.type());
        assertEquals(
                0,
                VertxContextSupport.<Integer>subscribeAndAwait(
                        () -> ledger.fail(old, command, caller(), "late failure")));
        Row after = row(name);
        assertEquals("building", after.getString("status"));
        assertEquals(current.attemptId(), after.getUUID("attempt_id"));
        assertEquals(null, after.getString("wheel_sha256"));

        WheelInspection real = new WheelInspection(wheel.sha256(), wheel.bytes().length, null, 5);
        VertxContextSupport.subscribeAndAwait(() -> ledger.finish(current, command, real, caller()));
        assertEquals("published", row(name).getString("status"));
        assertEquals(wheel.sha256(), row(name).getString("wheel_sha256"));
    }
}
