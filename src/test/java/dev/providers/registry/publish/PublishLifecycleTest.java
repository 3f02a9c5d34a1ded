package dev.providers.registry.publish;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Idempotent re-publish, immutability, failed rows that keep their reason and can be retried. */
@QuarkusTest
class PublishLifecycleTest extends RegistryTestBase {

    @Inject
    Pool db;

    @Test
    void identicalRepublishAnswers200WithoutFetching() {
        String name = unique("idem");
        Served wheel = serveWheel(name, "1.0.0");
        var body = body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wheel.sha256());
        publish(body).then().statusCode(201);
        assertEquals(1, TestServers.wheels().requestCount(wheel.path()));

        publish(body)
                .then()
                .statusCode(200)
                .contentType(equalTo("application/json"))
                .body("status", equalTo("published"))
                .body("wheel_sha256", equalTo(wheel.sha256()));
        // Without the optional sha256, the same URL is the same version too.
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(200);
        assertEquals(1, TestServers.wheels().requestCount(wheel.path()), "a re-publish must not fetch again");
    }

    @Test
    void otherContentForAPublishedVersionIs409NamingTheFields() {
        String name = unique("immut");
        Served first = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", first.url()).put("changelog", "one"))
                .then()
                .statusCode(201);
        Served other = serve(
                Wheels.fileName(name, "1.0.0"),
                Wheels.builder(name, "1.0.0").padding(10).build());

        expectProblem(
                        publish(body(org + "/" + name, "1.0.0", other.url()).put("changelog", "two")),
                        409,
                        "version-immutable")
                .body("detail", containsString("published versions are immutable; bump the version"))
                .body("detail", containsString("wheel_url"))
                .body("detail", containsString("changelog"));
        assertEquals(0, TestServers.wheels().requestCount(other.path()));
    }

    @Test
    void yankedVersionIs409() {
        String name = unique("yanked");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);
        db.preparedQuery(
                        "UPDATE provider_versions SET status = 'yanked', yanked_at = now() WHERE prefix = $1 AND name = $2")
                .executeAndAwait(Tuple.of(org, name));

        expectProblem(publish(body(org + "/" + name, "1.0.0", wheel.url())), 409, "version-immutable")
                .body("detail", containsString("yanked"));
    }

    @Test
    void sha256MismatchKeepsAFailedRowWithTheReasonThenARetryPublishes() {
        String name = unique("mismatch");
        Served wheel = serveWheel(name, "1.0.0");
        String wrong = "0".repeat(64);
        expectProblem(
                        publish(body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wrong)),
                        422,
                        "sha256-mismatch")
                .body("detail", containsString("not the expected " + wrong));

        readVersion(token, org + "/" + name, "1.0.0")
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_message", containsString("SHA-256"))
                .body("wheel_sha256", nullValue());
        // Invisible to others: a provider without a published version exists only for its owner.
        readVersion(null, org + "/" + name, "1.0.0").statusCode(404);

        publish(body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wheel.sha256()))
                .then()
                .statusCode(201)
                .body("status", equalTo("published"))
                .body("error_message", nullValue());
        readVersion(null, org + "/" + name, "1.0.0").statusCode(200).body("status", equalTo("published"));
    }

    @Test
    void pep440TwinOfAnExistingVersionIsRefused() {
        String name = unique("twin");
        Served wheel = serveWheel(name, "1.0.0rc1");
        publish(body(org + "/" + name, "1.0.0-rc.1", wheel.url())).then().statusCode(201);
        expectProblem(publish(body(org + "/" + name, "1.0.0-RC.1", wheel.url())), 409, "version-immutable")
                .body("detail", containsString("1.0.0rc1"));
    }

    @Test
    void missingRuntimeVersionIs409() {
        String name = unique("noruntime");
        Served wheel = serveWheel(name, "1.0.0");
        try {
            db.withTransaction(c -> c.query("DELETE FROM runtime_versions").execute())
                    .await()
                    .indefinitely();
            expectProblem(publish(body(org + "/" + name, "1.0.0", wheel.url())), 409, "no-runtime-version")
                    .body("detail", containsString("no runtime version"));
            assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
        } finally {
            ensureRuntime();
        }
    }
}
