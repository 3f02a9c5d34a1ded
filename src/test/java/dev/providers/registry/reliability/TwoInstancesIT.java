package dev.providers.registry.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Wheels;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the packaged service on one PostgreSQL database (separate processes, started at the same
 * time): 200 publishes of 50 versions (4 identical requests per version, spread over both instances, 16 at a time
 * in random order). Promise: each version has exactly one row, published with its digest, one provider row per
 * provider, and no request answers 5xx (a request that finds the version being published by the other instance
 * answers 409 with Retry-After and is retried).
 */
class TwoInstancesIT {

    private static final int DB_PORT = 19520;
    private static ItEnvironment env;
    private static PackagedRegistry a;
    private static PackagedRegistry b;

    @BeforeAll
    static void start() {
        env = new ItEnvironment("two-instances", DB_PORT);
        Map<String, String> settings = Map.of("quarkus.datasource.reactive.max-size", "10");
        a = PackagedRegistry.start("instance-a", 19521, DB_PORT, env.caPem, settings);
        b = PackagedRegistry.start("instance-b", 19522, DB_PORT, env.caPem, settings);
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (env != null) {
            env.close();
        }
    }

    @Test
    void twoHundredPublishesOfFiftyVersionsOverTwoInstancesLeaveOnePublishedRowPerVersion() throws Exception {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String token = PackagedRegistry.token(org, "id_" + org);
        record Publish(String canonical, String name, String version, String body, String sha256) {}
        List<Publish> versions = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            String name = "twin-" + p;
            for (int v = 0; v < 5; v++) {
                String version = "1." + v + ".0";
                byte[] wheel = Wheels.builder(name, version).build();
                String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName(name, version);
                env.wheels.serve(path, wheel);
                String sha = Wheels.sha256Hex(wheel);
                String body = new JsonObject()
                        .put("name", org + "/" + name)
                        .put("version", version)
                        .put("wheel_url", env.wheelUrl(path))
                        .put("sha256", sha)
                        .encode();
                versions.add(new Publish(org + "/" + name, name, version, body, sha));
            }
        }
        List<Publish> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.addAll(versions);
        }
        long seed = System.nanoTime();
        Collections.shuffle(requests, new Random(seed));

        Map<Integer, AtomicInteger> statuses = new TreeMap<>();
        Map<String, String> failures = new ConcurrentHashMap<>();
        AtomicInteger retries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < requests.size(); i++) {
            Publish publish = requests.get(i);
            PackagedRegistry target = i % 2 == 0 ? a : b;
            done.add(pool.submit(() -> {
                for (int attempt = 0; attempt < 40; attempt++) {
                    HttpResponse<String> response = target.post("/provider-versions", token, publish.body());
                    synchronized (statuses) {
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    if (response.statusCode() >= 500) {
                        failures.put(
                                publish.canonical() + " " + publish.version() + " on " + target.name,
                                response.statusCode() + " " + response.body());
                        return null;
                    }
                    if (response.statusCode() != 409) {
                        if (response.statusCode() != 200 && response.statusCode() != 201) {
                            failures.put(
                                    publish.canonical() + " " + publish.version(),
                                    response.statusCode() + " " + response.body());
                        }
                        return null;
                    }
                    // publish-in-progress (the other request holds the lease): retry shortly
                    retries.incrementAndGet();
                    PackagedRegistry.sleep(100);
                }
                failures.put(publish.canonical() + " " + publish.version(), "still 409 after 40 attempts");
                return null;
            }));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(180, TimeUnit.SECONDS), "publishes did not finish within 180 s");
        for (Future<?> f : done) {
            f.get();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "[faults] two instances: 200 publishes in %d ms, statuses %s, %d retries of 409 (seed %d)%n",
                millis, statuses, retries.get(), seed);

        assertTrue(failures.isEmpty(), "failed publishes (seed " + seed + "): " + failures);
        assertTrue(statuses.keySet().stream().allMatch(s -> s < 500), "5xx answers: " + statuses);
        assertEquals(50, statuses.getOrDefault(201, new AtomicInteger()).get(), "one 201 per version: " + statuses);
        assertEquals(List.of("50"), env.query("SELECT count(*) FROM provider_versions WHERE prefix = ?", org));
        assertEquals(
                List.of("50"),
                env.query("SELECT count(DISTINCT (name, version)) FROM provider_versions " + "WHERE prefix = ?", org));
        assertEquals(
                List.of("published"), env.query("SELECT DISTINCT status FROM provider_versions WHERE prefix = ?", org));
        assertEquals(List.of("10"), env.query("SELECT count(*) FROM providers WHERE prefix = ?", org));
        for (Publish publish : versions) {
            assertEquals(
                    List.of(publish.sha256()),
                    env.query(
                            "SELECT wheel_sha256 FROM provider_versions WHERE prefix = ? "
                                    + "AND name = ? AND version = ?",
                            org,
                            publish.name(),
                            publish.version()));
        }
        for (PackagedRegistry instance : List.of(a, b)) {
            assertTrue(
                    !instance.logText().contains(" ERROR "), instance.name + " logged an ERROR; see " + instance.log);
        }
    }

    /**
     * The cache of public simple index pages across instances: instance b keeps a page, instance a changes it, and b
     * answers the change as soon as PostgreSQL's notification reaches it (here within 5 s; milliseconds in practice).
     */
    @Test
    void aPageChangedThroughOneInstanceIsNotServedStaleByTheOther() throws Exception {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String token = PackagedRegistry.token(org, "id_" + org);
        byte[] wheel = Wheels.builder("shared", "1.0.0").build();
        String path = "/" + UUID.randomUUID() + "/" + Wheels.fileName("shared", "1.0.0");
        env.wheels.serve(path, wheel);
        String body = new JsonObject()
                .put("name", org + "/shared")
                .put("version", "1.0.0")
                .put("wheel_url", env.wheelUrl(path))
                .encode();
        assertEquals(201, a.post("/provider-versions", token, body).statusCode());
        String page = "/simple/" + org + "/shared/";

        assertEquals(200, b.get(page).statusCode());
        double hits = cacheHits(b);
        HttpResponse<String> kept = b.get(page);
        assertEquals(200, kept.statusCode());
        assertTrue(cacheHits(b) > hits, "b answered the page from its cache");
        assertTrue(!kept.body().contains("data-yanked"), kept.body());

        String versionPath = "/providers/" + org + "/shared/versions/1.0.0";
        assertEquals(
                200,
                a.post(versionPath + "/yank", token, "{\"reason\": \"seen-by-b\"}")
                        .statusCode());
        awaitPage(b, page, 200, "data-yanked=\"seen-by-b\"");
        assertEquals(200, a.post(versionPath + "/unyank", token, "{}").statusCode());
        awaitPage(b, page, 200, "shared-1.0.0-py3-none-any.whl</a>");
        assertTrue(!b.get(page).body().contains("data-yanked"));
        assertEquals(204, a.delete("/providers/" + org + "/shared", token).statusCode());
        awaitPage(b, page, 404, "not-found");
    }

    private static void awaitPage(PackagedRegistry instance, String page, int status, String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        HttpResponse<String> last;
        do {
            last = instance.get(page);
            if (last.statusCode() == status && last.body().contains(text)) {
                return;
            }
            PackagedRegistry.sleep(20);
        } while (System.nanoTime() < end);
        throw new AssertionError(instance.name + " still answers " + last.statusCode() + " " + last.body());
    }

    private static double cacheHits(PackagedRegistry instance) throws Exception {
        for (String line : instance.get("/q/metrics").body().split("\n")) {
            if (line.startsWith("registry_simple_cache_reads_total{") && line.contains("result=\"hit\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
