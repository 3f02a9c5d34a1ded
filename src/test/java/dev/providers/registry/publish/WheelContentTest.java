package dev.providers.registry.publish;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.providers.registry.support.RegistryTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** What the fetched bytes and the wheel file name must be. */
@QuarkusTest
class WheelContentTest extends RegistryTestBase {

    @Test
    void notAZipIsNotAWheel() {
        String name = unique("html");
        Served page = serve(Wheels.fileName(name, "1.0.0"), "<html>login</html>".getBytes(StandardCharsets.UTF_8));
        expectProblem(publish(body(org + "/" + name, "1.0.0", page.url())), 422, "not-a-wheel")
                .body("detail", containsString("not a zip archive"))
                .body("detail", Matchers.not(containsString("login")));
        readVersion(token, org + "/" + name, "1.0.0")
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error_message", containsString("not a zip archive"));
    }

    @Test
    void aZipWithoutDistInfoIsNotAWheel() {
        String name = unique("nodist");
        Served zip = serve(
                Wheels.fileName(name, "1.0.0"),
                Wheels.builder(name, "1.0.0").withoutDistInfo().build());
        expectProblem(publish(body(org + "/" + name, "1.0.0", zip.url())), 422, "not-a-wheel")
                .body("detail", containsString("dist-info"));
    }

    @Test
    void aDistInfoOfAnotherVersionIsNotAWheel() {
        String name = unique("otherver");
        byte[] bytes = Wheels.builder(name, "1.0.0")
                .distInfoName(Wheels.distInfoDirectory(name, "2.0.0"))
                .build();
        Served zip = serve(Wheels.fileName(name, "1.0.0"), bytes);
        expectProblem(publish(body(org + "/" + name, "1.0.0", zip.url())), 422, "not-a-wheel")
                .body("detail", containsString("dist-info"));
    }

    @Test
    void aFileNameThatIsNotAWheelNameIsRefusedBeforeFetching() {
        String name = unique("badname");
        Served file = serve(name + ".zip", Wheels.builder(name, "1.0.0").build());
        expectProblem(publish(body(org + "/" + name, "1.0.0", file.url())), 422, "validation")
                .body("errors.field", hasItem("wheel_url"))
                .body("errors[0].message", containsString(".whl"));
        assertEquals(0, TestServers.wheels().requestCount(file.path()));
    }

    @Test
    void aFileNameVersionThatDiffersFromVersionIsRefused() {
        String name = unique("mismatch");
        Served wheel = serveWheel(name, "1.0.1");
        expectProblem(publish(body(org + "/" + name, "1.0.0", wheel.url())), 422, "validation")
                .body("errors[0].field", equalTo("wheel_url"))
                .body("errors[0].message", containsString("'1.0.1' differs from version '1.0.0'"));
        assertEquals(0, TestServers.wheels().requestCount(wheel.path()));
    }

    @Test
    void aPackageNameThatIsNotInTheWheelIs422() {
        String name = unique("pkg");
        Served wheel = serveWheel(name, "1.0.0");
        expectProblem(
                        publish(body(org + "/" + name, "1.0.0", wheel.url()).put("package_name", "elsewhere")),
                        422,
                        "validation")
                .body("errors[0].field", equalTo("package_name"))
                .body("detail", containsString("elsewhere"));
    }
}
