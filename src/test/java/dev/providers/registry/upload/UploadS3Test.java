package dev.providers.registry.upload;

import dev.providers.registry.storage.S3ProxyServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;

/** The upload contract on the S3 wheel store (an S3Proxy process of its own, on loopback). */
@QuarkusTest
@WithTestResource(value = S3ProxyServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class UploadS3Test extends UploadContract {

    @Override
    protected List<String> orphanBytes() {
        return S3Objects.orphans(
                key -> count("SELECT count(*) FROM wheel_blobs WHERE backend = 's3' AND key = $1", key));
    }
}
