package dev.providers.registry.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.providers.registry.support.TestWheelServer;
import dev.providers.registry.support.Wheels;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while publishes are in flight (the packaged service as a real process, {@code quarkus.shutdown.timeout}
 * = 3 s). Promise: a publish whose wheel arrives within the shutdown timeout finishes (201, published with its
 * digest); one that cannot is cut off when the timeout ends, and its row is {@code failed} once its lease lapsed
 * (read by the next instance, made so by its sweeper); no row is ever {@code published} without a digest.
 */
class ShutdownDuringPublishIT {

    private static final int DB_PORT = 19530;
    private static ItEnvironment env;
    private static final Map<String, String> SETTINGS = Map.of(
            "quarkus.shutdown.timeout", "3s",
            "registry.fetch.deadline", "6s",
            "registry.fetch.idle-timeout", "6s",
            "registry.publish.lease-margin", "1s",
            "registry.publish.sweep-interval", "1s");

    @BeforeAll
    static void start() {
        env = new ItEnvironment("shutdown", DB_PORT);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    private record InFlight(
            String name, String path, byte[] wheel, String body, CompletableFuture<HttpResponse<String>> answer) {}

    private List<InFlight> startHeldPublishes(PackagedRegistry registry, String org, String token, int count) {
        List<InFlight> flights = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "inflight-" + i;
            byte[] wheel = Wheels.builder(name, "1.0.0").build();
            String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, "1.0.0");
            env.wheels.route(path, TestWheelServer.Behaviour.held(wheel, 64));
            String body = new JsonObject()
                    .put("name", org + "/" + name)
                    .put("version", "1.0.0")
                    .put("wheel_url", env.wheelUrl(path))
                    .put("sha256", Wheels.sha256Hex(wheel))
                    .encode();
            CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return registry.post("/provider-versions", token, body);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            flights.add(new InFlight(name, path, wheel, body, answer));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (flights.stream().anyMatch(f -> env.wheels.heldCount(f.path()) != 1)) {
            if (System.nanoTime() > deadline) {
                fail("the publishes never reached the wheel server");
            }
            PackagedRegistry.sleep(50);
        }
        return flights;
    }

    @Test
    void publishesInFlightAtSigtermFinishWithinTheShutdownTimeout() throws Exception {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String token = PackagedRegistry.token(org, "id_" + org);
        try (PackagedRegistry registry = PackagedRegistry.start(
                        "shutdown-graceful", 19531, DB_PORT, env.caPem, SETTINGS)
                .awaitReady(Duration.ofSeconds(90))) {
            List<InFlight> flights = startHeldPublishes(registry, org, token, 4);
            assertEquals(
                    List.of("4"),
                    env.query(
                            "SELECT count(*) FROM provider_versions WHERE prefix = ? " + "AND status = 'building'",
                            org));

            long sigterm = System.nanoTime();
            registry.terminate();
            PackagedRegistry.sleep(500);
            assertTrue(registry.alive(), "the service waits for its in-flight requests");
            flights.forEach(f -> env.wheels.release(f.path()));
            for (InFlight f : flights) {
                HttpResponse<String> answer = f.answer().get(20, TimeUnit.SECONDS);
                assertEquals(201, answer.statusCode(), f.name() + ": " + answer.body());
            }
            int exit = registry.awaitExit(Duration.ofSeconds(20));
            System.out.printf(
                    "[faults] SIGTERM with 4 publishes in flight, wheels released after 500 ms: all 201, "
                            + "exit %d after %d ms%n",
                    exit, (System.nanoTime() - sigterm) / 1_000_000);
            assertTrue(exit != -1, "the service did not exit after SIGTERM");
            assertEquals(
                    List.of("4"),
                    env.query(
                            "SELECT count(*) FROM provider_versions WHERE prefix = ? "
                                    + "AND status = 'published' AND wheel_sha256 IS NOT NULL",
                            org));
            assertTrue(!registry.logText().contains(" ERROR "), "an ERROR was logged; see " + registry.log);
        }
    }

    @Test
    void publishesCutOffByTheShutdownTimeoutEndFailedOnceTheirLeaseLapsed() throws Exception {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String token = PackagedRegistry.token(org, "id_" + org);
        List<InFlight> flights;
        try (PackagedRegistry registry = PackagedRegistry.start("shutdown-cutoff", 19532, DB_PORT, env.caPem, SETTINGS)
                .awaitReady(Duration.ofSeconds(90))) {
            flights = startHeldPublishes(registry, org, token, 4);
            long sigterm = System.nanoTime();
            registry.terminate();
            int exit = registry.awaitExit(Duration.ofSeconds(30));
            long millis = (System.nanoTime() - sigterm) / 1_000_000;
            assertTrue(exit != -1, "the service did not exit after SIGTERM");
            List<String> answers = new ArrayList<>();
            for (InFlight f : flights) {
                try {
                    HttpResponse<String> answer = f.answer().get(10, TimeUnit.SECONDS);
                    answers.add(Integer.toString(answer.statusCode()));
                    assertTrue(answer.statusCode() != 500, f.name() + ": " + answer.body());
                } catch (ExecutionException e) {
                    answers.add("connection closed");
                }
            }
            System.out.printf(
                    "[faults] SIGTERM with 4 publishes stalled: exit %d after %d ms, answers %s%n",
                    exit, millis, answers);
            assertTrue(millis < 10_000, "shutdown took " + millis + " ms (timeout 3 s)");
            // Quarkus itself logs the cut-off ("Timed out waiting for graceful shutdown") at ERROR, and the fetches
            // that the cut-off closes may end after Quarkus stopped ("[Error Occurred After Shutdown]"); nothing else
            assertTrue(
                    registry.logText()
                            .lines()
                            .filter(l -> l.contains(" ERROR "))
                            .allMatch(l -> l.contains("Timed out waiting for graceful shutdown")
                                    || l.contains("[Error Occurred After Shutdown]")),
                    "an ERROR was logged; see " + registry.log);
        }
        assertEquals(
                List.of("0"),
                env.query("SELECT count(*) FROM provider_versions WHERE prefix = ? " + "AND status = 'published'", org),
                "nothing was published");

        // The next instance reads the rows as failed once the lease (6 s + 1 s) lapsed, and its sweeper writes it.
        try (PackagedRegistry next = PackagedRegistry.start("shutdown-next", 19533, DB_PORT, env.caPem, SETTINGS)
                .awaitReady(Duration.ofSeconds(90))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!env.query("SELECT count(*) FROM provider_versions WHERE prefix = ? AND status = 'failed'", org)
                    .equals(List.of("4"))) {
                if (System.nanoTime() > deadline) {
                    fail("rows did not end failed: "
                            + env.query("SELECT status FROM provider_versions WHERE prefix = ?", org));
                }
                PackagedRegistry.sleep(200);
            }
            HttpResponse<String> read =
                    next.get("/providers/" + org + "/" + flights.get(0).name() + "/versions/1.0.0");
            // building/failed versions are the owner's only: anonymous readers see 404
            assertEquals(404, read.statusCode(), read.body());

            // and a retry publishes it
            InFlight retry = flights.get(0);
            env.wheels.serve(retry.path(), retry.wheel());
            HttpResponse<String> answer = next.post("/provider-versions", token, retry.body());
            assertEquals(201, answer.statusCode(), answer.body());
            assertEquals(
                    List.of("1"),
                    env.query(
                            "SELECT count(*) FROM provider_versions WHERE prefix = ? AND name = ?", org, retry.name()));
        }
        assertEquals(
                List.of("0"),
                env.query("SELECT count(*) FROM provider_versions WHERE status IN ('published', "
                        + "'yanked') AND wheel_sha256 IS NULL"));
    }
}
