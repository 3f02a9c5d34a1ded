package dev.providers.registry.storage;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@link StoreBenchTestBase} on S3Proxy (filesystem backend, default part size 8M):
 * {@code ./mvnw test -Dtest=S3StoreBench -Dstore.bench=true}.
 */
@QuarkusTest
@WithTestResource(
        value = S3ProxyServer.class,
        scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @io.quarkus.test.common.ResourceArg(name = "registry.storage.s3.part-size", value = "8M"))
@EnabledIfSystemProperty(named = "store.bench", matches = "true")
class S3StoreBench extends StoreBenchTestBase {}
