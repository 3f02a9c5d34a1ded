package dev.providers.registry.reliability;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.CapturedLogs;
import dev.providers.registry.support.FetchScenarioTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestWheelServer.Behaviour;
import dev.providers.registry.support.Wheels;
import dev.providers.registry.wheel.TestZips;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wheels above {@code registry.fetch.offload-hashing-above} (64 KiB here) are hashed off the event loop: a publish
 * answers exactly as an inline one would, for good wheels and for every way the body can go wrong.
 */
@QuarkusTest
@TestProfile(OffloadedHashingTest.LowThreshold.class)
public class OffloadedHashingTest extends FetchScenarioTestBase {

    private static final int MIB = 1024 * 1024;

    public static class LowThreshold implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.fetch.offload-hashing-above", "64K", "registry.fetch.max-wheel-size", "16M");
        }
    }

    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.install();
    }

    /** The service's own errors (a 500 is logged by ProblemMappers) and unhandled ones on the event loop. */
    @AfterEach
    void noServerErrorWasLogged() {
        logs.close();
        List<CapturedLogs.Line> errors = logs.lines().stream()
                .filter(l -> (l.level().equals("ERROR") || l.level().equals("SEVERE"))
                        && (l.logger().startsWith("dev.providers")
                                || l.message().contains("Unhandled exception")))
                .toList();
        assertTrue(errors.isEmpty(), "errors logged: " + errors);
    }

    @Test
    void aMultiMebibyteWheelPublishesWithItsSha256() {
        name = unique("big");
        Served wheel = serve(
                Wheels.fileName(name, "1.0.0"),
                Wheels.builder(name, "1.0.0").padding(12 * MIB).build());
        publish(body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wheel.sha256()))
                .then()
                .statusCode(201)
                .body("status", equalTo("published"))
                .body("wheel_sha256", equalTo(wheel.sha256()))
                .body("package_name", equalTo(Wheels.builder(name, "1.0.0").packageName()));
    }

    @Test
    void concurrentLargePublishesEachGetTheirOwnDigest() throws Exception {
        List<Served> wheels = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String each = unique("many");
            names.add(each);
            wheels.add(serve(
                    Wheels.fileName(each, "1.0.0"),
                    Wheels.builder(each, "1.0.0").padding(3 * MIB, i).build()));
        }
        List<CompletableFuture<String>> digests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String each = names.get(i);
            Served wheel = wheels.get(i);
            digests.add(CompletableFuture.supplyAsync(() -> publish(body(org + "/" + each, "1.0.0", wheel.url()))
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("wheel_sha256")));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(wheels.get(i).sha256(), digests.get(i).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWrongSha256IsTheSameMismatchAsInline() {
        name = unique("mismatch");
        Served wheel = serve(
                Wheels.fileName(name, "1.0.0"),
                Wheels.builder(name, "1.0.0").padding(2 * MIB).build());
        String wrong = "0".repeat(64);
        expectProblem(
                        publish(body(org + "/" + name, "1.0.0", wheel.url()).put("sha256", wrong)),
                        422,
                        "sha256-mismatch")
                .body(
                        "detail",
                        containsString("the wheel's SHA-256 is " + wheel.sha256() + ", not the expected " + wrong));
        expectFailedRow("SHA-256");
    }

    @Test
    void aLargeBodyThatIsNoZipIsNotAWheel() {
        name = unique("nozip");
        Served junk = serve(Wheels.fileName(name, "1.0.0"), TestZips.random(MIB, 7));
        expectProblem(publish(body(org + "/" + name, "1.0.0", junk.url())), 422, "not-a-wheel")
                .body("detail", containsString("not a zip archive"));
        expectFailedRow("not a zip archive");
    }

    @Test
    void aBodyCutShortIs502() {
        String path = route(Behaviour.ok(new byte[0]));
        byte[] bytes = Wheels.builder(name, "1.0.0").padding(MIB).build();
        TestServers.wheels().route(path, Behaviour.lieContentLength(bytes, bytes.length + 1000L));
        // As inline: the early close is reported either as such or as a short body, with the bytes received.
        expectProblem(publishPath(path), 502, "fetch-failed").body("detail", containsString(bytes.length + " "));
        expectFailedRow("bytes");
    }

    @Test
    void aResetMidBodyIs502() {
        String path = route(Behaviour.ok(new byte[0]));
        byte[] bytes = Wheels.builder(name, "1.0.0").padding(2 * MIB).build();
        TestServers.wheels().route(path, Behaviour.resetMidBody(bytes, MIB));
        expectProblem(publishPath(path), 502, "fetch-failed").body("detail", containsString("reset or closed early"));
        expectFailedRow("reset or closed early");
    }

    @Test
    void aStallMidBodyIsAnIdleTimeout() {
        String path = route(Behaviour.stall(TestZips.random(512 * 1024, 8), 4L * MIB));
        long started = System.nanoTime();
        expectProblem(publishPath(path), 504, "fetch-timeout").body("detail", containsString("sent nothing for 2s"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 1500 && millis < 5000, "idle timeout took " + millis + " ms");
        expectFailedRow("sent nothing for 2s");
    }

    @Test
    void aTrickleHitsTheTotalDeadline() {
        String path = route(Behaviour.ok(new byte[0]));
        TestServers.wheels()
                .route(
                        path,
                        Behaviour.trickle(
                                Wheels.builder(name, "1.0.0").padding(100_000).build(), 500));
        long started = System.nanoTime();
        expectProblem(publishPath(path), 504, "fetch-timeout").body("detail", containsString("deadline"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 5500 && millis < 9000, "deadline took " + millis + " ms");
        expectFailedRow("deadline");
    }
}
