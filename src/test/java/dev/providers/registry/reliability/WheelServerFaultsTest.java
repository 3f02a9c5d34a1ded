package dev.providers.registry.reliability;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.FetchScenarioTestBase;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestWheelServer.Behaviour;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Every way a wheel server can misbehave, injected for real by an HTTPS server on loopback: each ends in its
 * documented status within the configured limits (tests: idle 2 s, deadline 6 s) and leaves a failed row whose
 * error_message says what happened.
 */
@QuarkusTest
class WheelServerFaultsTest extends FetchScenarioTestBase {

    @Test
    void aRedirectLoopIsTooManyRedirects() {
        name = unique("loop");
        file = Wheels.fileName(name, "1.0.0");
        String path = "/" + java.util.UUID.randomUUID() + "/" + file;
        TestServers.wheels().route(path, Behaviour.redirect(302, path));
        expectProblem(publishPath(path), 502, "fetch-failed").body("detail", containsString("too many redirects"));
        assertEquals(6, TestServers.wheels().requestCount(path), "the first request and 5 redirect hops");
        expectFailedRow("too many redirects");
    }

    @Test
    void serverErrorIs502() {
        expectProblem(publishPath(route(Behaviour.status(500))), 502, "fetch-failed")
                .body("detail", containsString("HTTP 500"));
        expectFailedRow("HTTP 500");
    }

    @Test
    void contentEncodingIs502() {
        String path = route(Behaviour.ok(new byte[0]));
        TestServers.wheels().route(path, Behaviour.gzip(wheel()));
        expectProblem(publishPath(path), 502, "fetch-failed").body("detail", containsString("Content-Encoding"));
        expectFailedRow("Content-Encoding");
    }

    @Test
    void shortBodyIs502() {
        String path = route(Behaviour.ok(new byte[0]));
        byte[] bytes = wheel();
        TestServers.wheels().route(path, Behaviour.lieContentLength(bytes, bytes.length + 1000L));
        expectProblem(publishPath(path), 502, "fetch-failed");
        expectFailedRow("bytes");
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsSentOnceMore() {
        String path = route(Behaviour.ok(new byte[0]));
        byte[] bytes = wheel();
        TestServers.wheels().route(path, Behaviour.closeBeforeAnswer(1, bytes));
        publishPath(path).then().statusCode(201).body("wheel_sha256", equalTo(Wheels.sha256Hex(bytes)));
        assertEquals(2, TestServers.wheels().requestCount(path), "the closed request and its one resend");
    }

    @Test
    void aServerThatAlwaysClosesBeforeAnsweringIs502AfterOneResend() {
        String path = route(Behaviour.ok(new byte[0]));
        TestServers.wheels().route(path, Behaviour.closeBeforeAnswer(Integer.MAX_VALUE, wheel()));
        expectProblem(publishPath(path), 502, "fetch-failed").body("detail", containsString("reset or closed early"));
        assertEquals(2, TestServers.wheels().requestCount(path), "one resend, not a loop");
        expectFailedRow("reset or closed early");
    }

    @Test
    void resetMidBodyIs502() {
        String path = route(Behaviour.ok(new byte[0]));
        byte[] bytes = Wheels.builder(name, "1.0.0").padding(200_000).build();
        TestServers.wheels().route(path, Behaviour.resetMidBody(bytes, 50_000));
        expectProblem(publishPath(path), 502, "fetch-failed").body("detail", containsString("reset or closed early"));
        expectFailedRow("reset or closed early");
    }

    @Test
    void aStallIsAnIdleTimeout() {
        String path = route(Behaviour.stall(new byte[1000]));
        long started = System.nanoTime();
        expectProblem(publishPath(path), 504, "fetch-timeout").body("detail", containsString("sent nothing for 2s"));
        expectFailedRow("sent nothing for 2s");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 1500 && millis < 5000, "idle timeout took " + millis + " ms");
    }

    @Test
    void noAnswerIsAnIdleTimeout() {
        expectProblem(publishPath(route(Behaviour.noAnswer())), 504, "fetch-timeout");
        expectFailedRow("sent nothing");
    }

    @Test
    void aTrickleHitsTheTotalDeadline() {
        String path = route(Behaviour.ok(new byte[0]));
        TestServers.wheels().route(path, Behaviour.trickle(wheel(), 500));
        long started = System.nanoTime();
        expectProblem(publishPath(path), 504, "fetch-timeout").body("detail", containsString("deadline"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis >= 5500 && millis < 9000, "deadline took " + millis + " ms");
        expectFailedRow("deadline");
    }
}
