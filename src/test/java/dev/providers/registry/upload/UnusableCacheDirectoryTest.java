package dev.providers.registry.upload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.providers.registry.storage.LocalFileCache;
import dev.providers.registry.support.CapturedLogs;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cache directory that cannot be created (under {@code /dev/null}, which even root cannot write into) leaves the
 * node's cache off: downloads stream from the store every time, never a 500; once the store lost the blob, the
 * download is the store's 503, as with the cache disabled.
 */
@QuarkusTest
@TestProfile(UnusableCacheDirectoryTest.Profile.class)
class UnusableCacheDirectoryTest extends UploadTestBase {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.storage.cache.directory", "/dev/null/cache");
        }
    }

    @Inject
    LocalFileCache cache;

    @Override
    protected List<String> orphanBytes() {
        return List.of();
    }

    @Test
    void downloadsAreServedFromTheStoreAndNeverCached() {
        try (CapturedLogs logs = CapturedLogs.install()) {
            String name = unique("nocache");
            byte[] wheel = Wheels.builder(name, "1.0.0").padding(200_000).build();
            String sha = Wheels.sha256Hex(wheel);
            String url = upload(sdkUpload(name, "1.0.0", "1.0.0", wheel))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("wheel_url");
            String path = url.substring(url.indexOf("/files/"));
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(
                        wheel,
                        given().get(path).then().statusCode(200).extract().asByteArray());
            }
            assertNull(cache.directory());
            assertFalse(cache.holds(sha));
            pool.preparedQuery("DELETE FROM wheel_chunks WHERE key IN (SELECT key FROM wheel_blobs WHERE sha256 = $1)")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(sha))
                    .await()
                    .atMost(java.time.Duration.ofSeconds(10));
            expectProblem(given().get(path), 503, "storage-unavailable");
            assertEquals(
                    List.of(),
                    logs.lines().stream()
                            .filter(line -> line.level().equals("ERROR"))
                            .map(CapturedLogs.Line::message)
                            .toList());
        }
    }
}
