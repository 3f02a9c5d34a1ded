package dev.providers.registry.upload;

import dev.providers.registry.storage.S3ProxyServer;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
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
                () -> S3ProxyServer.current().stopServer(),
                () -> S3ProxyServer.current().startServer(),
                "storage-unavailable",
                45);
    }

    @Override
    protected List<String> orphanBytes() {
        return S3Objects.orphans(
                key -> count("SELECT count(*) FROM wheel_blobs WHERE backend = 's3' AND key = $1", key));
    }
}
