package dev.providers.registry.upload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Multipart;
import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestTokens;
import dev.providers.registry.support.Wheels;
import io.restassured.response.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the upload tests share: the calls, the waits, and what "nothing left behind" means for a backend. */
public abstract class UploadTestBase extends RegistryTestBase {

    protected static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    protected Response upload(String jwt, Multipart body) {
        return given().header("Authorization", TestTokens.bearer(jwt))
                .contentType(body.contentType())
                .body(body.bytes())
                .post("/providers/publish");
    }

    protected Response upload(Multipart body) {
        return upload(token, body);
    }

    /** The SDK's body publishing {@code wheel} as {@code name} (short or {@code prefix/name}) at {@code version}. */
    protected Multipart sdkUpload(String name, String version, String pep440, byte[] wheel) {
        String distribution = name.substring(name.lastIndexOf('/') + 1);
        return Multipart.sdk(
                Multipart.sdkMetadata(name, version, "Display " + distribution, "About " + distribution),
                Wheels.fileName(distribution, pep440),
                wheel);
    }

    /** Waits (up to 20 s) until the owner reads the version in {@code status}. */
    protected void awaitStatus(String name, String status) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String seen = null;
        while (System.nanoTime() < until) {
            Response read = given().header("Authorization", TestTokens.bearer(token))
                    .get("/providers/" + org + "/" + name + "/versions/1.0.0");
            seen = read.statusCode() == 200 ? read.jsonPath().getString("status") : "HTTP " + read.statusCode();
            if (status.equals(seen)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the version is " + seen + ", not " + status);
    }

    /**
     * What an upload can leave behind: staged blobs, building rows, bytes in the store that no blob names. The tests
     * share one database with other test classes (whose staged blobs are their own), so a test compares this with
     * what was there before it.
     */
    protected java.util.Set<String> leftovers() {
        java.util.Set<String> found = new java.util.TreeSet<>();
        pool.query("SELECT backend || ':' || key FROM wheel_blobs WHERE state = 'staged'")
                .execute()
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .forEach(row -> found.add("staged blob " + row.getString(0)));
        pool.query("SELECT prefix || '/' || name || ' ' || version FROM provider_versions WHERE status = 'building'")
                .execute()
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .forEach(row -> found.add("building row " + row.getString(0)));
        orphanBytes().forEach(key -> found.add("orphan bytes " + key));
        return found;
    }

    /** Nothing is left that was not there {@code before} (waits up to {@code seconds}: cleanup follows the answer). */
    protected void assertNothingLeftBehind(java.util.Set<String> before, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.util.Set<String> left;
        do {
            left = new java.util.TreeSet<>(leftovers());
            left.removeAll(before);
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < until);
        assertEquals(java.util.Set.of(), left, "left behind");
    }

    /** Keys of bytes in this backend's store that no wheel_blobs row names. */
    protected abstract List<String> orphanBytes();

    @jakarta.inject.Inject
    protected io.vertx.mutiny.sqlclient.Pool pool;

    /** The first column of the first row of {@code sql}, a count. */
    protected long count(String sql, Object... args) {
        return pool.preparedQuery(sql)
                .execute(io.vertx.mutiny.sqlclient.Tuple.from(args))
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .iterator()
                .next()
                .getLong(0);
    }

    // ------------------------------------------------------------------------------------------- faults

    /** A step of a fault scenario. */
    @FunctionalInterface
    protected interface Step {
        void run() throws Exception;
    }

    /**
     * An outage in the middle of an upload: a wheel with {@code padding} bytes is sent up to {@code sentBefore} bytes,
     * {@code outage} starts once its version is building, the rest is sent and {@code recovery} ends it. The upload
     * must be answered 503 with the {@code problem} slug, its version end {@code failed}, nothing be left behind
     * within {@code cleanupSeconds}, and the same upload then publish.
     */
    protected void assertOutageMidUploadIs503AndLeavesNothing(
            String prefix, int padding, int sentBefore, Step outage, Step recovery, String problem, int cleanupSeconds)
            throws Exception {
        String name = unique(prefix);
        byte[] wheel = Wheels.builder(name, "1.0.0").padding(padding).build();
        Multipart body = sdkUpload(name, "1.0.0", "1.0.0", wheel);
        java.util.Set<String> before = leftovers();
        String answer;
        try (RawUpload upload = RawUpload.begin(port(), token, body.contentType(), body.bytes(), sentBefore)) {
            awaitStatus(name, "building");
            outage.run();
            try {
                answer = upload.finish();
            } finally {
                recovery.run();
            }
        }
        assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
        assertTrue(answer.contains("urn:provider-registry:problem:" + problem), answer);
        assertTrue(answer.contains("Retry-After"), answer);
        awaitStatus(name, "failed");
        assertNothingLeftBehind(before, cleanupSeconds);
        upload(body).then().statusCode(201);
    }
}
