package dev.providers.registry.upload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
     * No staged blob, and no bytes in the store that no blob row names (waits up to 20 s: the blob of a failed
     * upload is deleted after its answer).
     */
    protected void assertNothingLeftBehind() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count("SELECT count(*) FROM wheel_blobs WHERE state = 'staged'") > 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertEquals(0, count("SELECT count(*) FROM wheel_blobs WHERE state = 'staged'"), "staged blobs left");
        assertEquals(0, count("SELECT count(*) FROM provider_versions WHERE status = 'building'"), "building rows");
        assertEquals(List.of(), orphanBytes(), "bytes in the store that no blob names");
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

    /** {@link #assertNothingLeftBehind} once the leases lapsed and the sweepers ran: waits up to {@code seconds}. */
    protected void awaitNothingLeftBehind(int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            if (count("SELECT count(*) FROM wheel_blobs WHERE state = 'staged'") == 0
                    && count("SELECT count(*) FROM provider_versions WHERE status = 'building'") == 0
                    && orphanBytes().isEmpty()) {
                break;
            }
            Thread.sleep(250);
        }
        assertNothingLeftBehind();
    }
}
