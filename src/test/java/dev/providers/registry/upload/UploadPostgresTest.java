package dev.providers.registry.upload;

import io.quarkus.test.junit.QuarkusTest;

/** The upload contract on the default wheel store, PostgreSQL (the embedded database of the tests). */
@QuarkusTest
class UploadPostgresTest extends UploadContract {}
