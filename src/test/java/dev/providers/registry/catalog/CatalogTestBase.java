package dev.providers.registry.catalog;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.Wheels;
import io.vertx.core.json.JsonObject;

abstract class CatalogTestBase extends RegistryTestBase {

    /** Publishes {@code org/name} at a SemVer version (201 or 200), with optional metadata. */
    protected Served publishVersion(String jwt, String canonical, String semver, JsonObject metadata) {
        String name = canonical.substring(canonical.indexOf('/') + 1);
        String pep440 = dev.providers.registry.identity.SemVer.parse(semver).pep440();
        Served wheel = serve(
                Wheels.fileName(name, pep440), Wheels.builder(name, pep440).build());
        JsonObject body = body(canonical, semver, wheel.url());
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        publish(jwt, body).then().statusCode(anyOf(equalTo(201), equalTo(200)));
        return wheel;
    }

    protected Served publishVersion(String canonical, String semver) {
        return publishVersion(token, canonical, semver, null);
    }
}
