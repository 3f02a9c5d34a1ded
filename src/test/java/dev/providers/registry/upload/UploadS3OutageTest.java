package dev.providers.registry.upload;

import dev.providers.registry.storage.S3ProxyServer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The S3 store stops answering in the middle of an upload (S3Proxy killed while the multipart upload is in flight):
 * the upload is answered 503 {@code storage-unavailable} (never 500), its version ends {@code failed}, and once S3
 * is back and the leases lapsed nothing is left: no staged blob, no object or unfinished multipart upload that no
 * blob names. Short leases: upload deadline 10 s (time for the test to stop S3Proxy mid-upload) + margin 1 s, sweeps every second.
 */
@QuarkusTest
@WithTestResource(
        value = S3ProxyServer.class,
        scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = {
            @ResourceArg(name = "registry.storage.upload-deadline", value = "10s"),
            @ResourceArg(name = "registry.publish.lease-margin", value = "1s"),
            @ResourceArg(name = "registry.publish.sweep-interval", value = "1s"),
            @ResourceArg(name = "registry.db.operation-deadline", value = "6s")
        })
class UploadS3OutageTest extends UploadTestBase {

    @Test
    void s3StoppingMidUploadIs503AndLeavesNothingOnceItIsBack() throws Exception {
        assertOutageMidUploadIs503AndLeavesNothing(
                "s3down",
                14 * 1024 * 1024,
                7 * 1024 * 1024,
                () -> {
                    awaitACompletePart();
                    S3ProxyServer.current().stopServer();
                },
                () -> S3ProxyServer.current().startServer(),
                "storage-unavailable",
                45);
    }

    /**
     * Waits (up to 20 s) until the first part of the upload is complete on S3Proxy's disk. The second part needs
     * bytes the client has not sent yet, so the kill then cuts no part upload in the middle: S3Proxy cannot abort an
     * upload whose part it was killed writing (the part's temporary file stays, and AbortMultipartUpload answers
     * 400), which real S3 does not have, and which would leave an upload that nothing can remove.
     */
    private static void awaitACompletePart() throws InterruptedException {
        Pattern completePart = Pattern.compile("[0-9a-f-]{36}-[0-9]+");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            boolean complete = S3ProxyServer.current().files().stream()
                    .anyMatch(file -> file.toString().contains("/.mpus-")
                            && completePart
                                    .matcher(file.getFileName().toString())
                                    .matches());
            if (complete) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the first part never completed on S3Proxy's disk");
    }

    @Override
    protected List<String> orphanBytes() {
        return S3Objects.orphans(
                key -> count("SELECT count(*) FROM wheel_blobs WHERE backend = 's3' AND key = $1", key));
    }
}
