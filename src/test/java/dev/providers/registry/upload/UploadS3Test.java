package dev.providers.registry.upload;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.storage.S3ProxyServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upload contract on the S3 wheel store (an S3Proxy process of its own, on loopback). */
@QuarkusTest
@WithTestResource(value = S3ProxyServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UploadS3Test extends UploadContract {

    @Override
    protected List<String> orphanBytes() {
        return S3Objects.orphans(
                key -> count("SELECT count(*) FROM wheel_blobs WHERE backend = 's3' AND key = $1", key));
    }

    @Override
    protected void removeStoredBytes(String sha) throws Exception {
        String key = pool.preparedQuery("SELECT key FROM wheel_blobs WHERE backend = 's3' AND sha256 = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(sha))
                .await()
                .atMost(java.time.Duration.ofSeconds(10))
                .iterator()
                .next()
                .getString(0);
        List<java.nio.file.Path> objects = S3ProxyServer.current().files().stream()
                .filter(path -> path.endsWith(key))
                .toList();
        assertEquals(1, objects.size(), "the object of " + key);
        java.nio.file.Files.delete(objects.get(0));
    }

    @Test
    void aDownloadWhileS3IsDownIs503AndServedAgainOnceItIsBack() {
        Hosted file = hosted(unique("s3dl"), 100_000);
        S3ProxyServer.current().stopServer();
        try {
            // The store's GET is refused at every attempt: before any byte, so still a problem answer.
            expectProblem(given().get(file.path()), 503, "storage-unavailable").header("Retry-After", "5");
            given().head(file.path()).then().statusCode(200);
        } finally {
            S3ProxyServer.current().startServer();
        }
        assertArrayEquals(
                file.bytes(),
                given().get(file.path()).then().statusCode(200).extract().asByteArray());
    }
}
