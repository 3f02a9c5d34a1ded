package dev.providers.registry.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The store contract on S3 (an S3Proxy process), and what only this backend has: one object per blob. */
@QuarkusTest
@WithTestResource(value = S3ProxyServer.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class S3WheelStoreTest extends WheelStoreContractTestBase {

    @Override
    int partSize() {
        return (int) config.storage().s3().partSize().asLongValue();
    }

    @Override
    StorageKind expectedKind() {
        return StorageKind.S3;
    }

    @Test
    void aBlobIsOneObjectUnderTheKeyPrefix() {
        Blobs.Written written = staged(40, 2L * partSize() + 1);
        assertTrue(written.key().startsWith(config.storage().s3().keyPrefix()), written.key());
        try (var client = S3ProxyServer.current().client()) {
            var head = client.headObject(r -> r.bucket(S3ProxyServer.BUCKET).key(written.key()))
                    .join();
            assertEquals(2L * partSize() + 1, head.contentLength());
        }
        await(store.delete(written.key()));
        assertGone(written.key());
    }
}
