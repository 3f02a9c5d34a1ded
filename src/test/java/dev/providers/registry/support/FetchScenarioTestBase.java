package dev.providers.registry.support;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.providers.registry.support.TestWheelServer.Behaviour;
import io.restassured.response.Response;
import java.util.UUID;

/** One provider version per test, whose wheel URL is served with a chosen server behaviour. */
public abstract class FetchScenarioTestBase extends RegistryTestBase {

    protected String name;
    protected String file;

    /** A fresh provider name and a path on the wheels server that answers with {@code behaviour}. */
    protected String route(Behaviour behaviour) {
        name = unique("fetch");
        file = Wheels.fileName(name, "1.0.0");
        String path = "/" + UUID.randomUUID() + "/" + file;
        TestServers.wheels().route(path, behaviour);
        return path;
    }

    protected byte[] wheel() {
        return Wheels.builder(name, "1.0.0").build();
    }

    protected Response publishPath(String path) {
        return publish(body(org + "/" + name, "1.0.0", wheelsUrl(path)));
    }

    protected void expectFailedRow(String reasonFragment) {
        readVersion(token, org + "/" + name, "1.0.0")
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_message", containsString(reasonFragment));
    }
}
