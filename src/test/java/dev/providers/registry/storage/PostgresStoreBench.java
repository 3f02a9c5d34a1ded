package dev.providers.registry.storage;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** {@link StoreBenchTestBase} on PostgreSQL: {@code ./mvnw test -Dtest=PostgresStoreBench -Dstore.bench=true}. */
@QuarkusTest
@EnabledIfSystemProperty(named = "store.bench", matches = "true")
class PostgresStoreBench extends StoreBenchTestBase {}
