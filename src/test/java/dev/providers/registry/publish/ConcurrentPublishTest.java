package dev.providers.registry.publish;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.RegistryTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConcurrentPublishTest extends RegistryTestBase {

    @Inject
    Pool db;

    @Test
    void twentyConcurrentFirstPublishesOfOneVersionMakeOneRowAndOne201() throws Exception {
        String name = unique("race");
        Served wheel = serveWheel(name, "1.0.0");
        var body = body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wheel.sha256());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return publish(body).statusCode();
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                assertTrue(status == 201 || status == 200 || status == 409, "unexpected status " + status);
                created += status == 201 ? 1 : 0;
            }
            assertEquals(1, created, "exactly one publish creates the version");
        } finally {
            pool.shutdownNow();
        }
        long rows = db.preparedQuery("SELECT count(*) FROM provider_versions WHERE prefix = $1 AND name = $2")
                .executeAndAwait(Tuple.of(org, name))
                .iterator()
                .next()
                .getLong(0);
        long providers = db.preparedQuery("SELECT count(*) FROM providers WHERE prefix = $1 AND name = $2")
                .executeAndAwait(Tuple.of(org, name))
                .iterator()
                .next()
                .getLong(0);
        assertEquals(1, rows);
        assertEquals(1, providers);
        readVersion(null, org + "/" + name, "1.0.0").statusCode(200).body("status", Matchers.equalTo("published"));
    }

    /** Finalizes of one provider serialize on its row, so the last one to commit sees every published version. */
    @Test
    void concurrentPublishesOfManyVersionsLeaveTheHighestAsLatest() throws Exception {
        String name = unique("latest-race");
        publish(body(org + "/" + name, "0.0.1", serveWheel(name, "0.0.1").url()))
                .then()
                .statusCode(201);
        List<Served> wheels = new ArrayList<>();
        for (int minor = 1; minor <= 16; minor++) {
            wheels.add(serveWheel(name, "1." + minor + ".0"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < wheels.size(); i++) {
                var body = body(
                        org + "/" + name, "1." + (i + 1) + ".0", wheels.get(i).url());
                answers.add(pool.submit(() -> {
                    start.await();
                    return publish(body).statusCode();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                assertEquals(201, answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        given().get("/providers/" + org + "/" + name)
                .then()
                .statusCode(200)
                .body("latest_version", Matchers.equalTo("1.16.0"));
    }
}
