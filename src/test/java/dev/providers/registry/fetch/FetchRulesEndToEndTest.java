package dev.providers.registry.fetch;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.FetchScenarioTestBase;
import dev.providers.registry.support.TestHostResolver;
import dev.providers.registry.support.TestServers;
import dev.providers.registry.support.TestWheelServer.Behaviour;
import dev.providers.registry.support.Wheels;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The fetch rules end to end, against real HTTPS servers on loopback. Only 127.0.0.1 is in the test allow-list:
 * a server on 127.0.0.3 stands for every refused address and must never see a request. The other ranges are
 * tested on the classifier alone (AddressClassifierTest), so a broken guard can never send traffic off this machine.
 */
@QuarkusTest
class FetchRulesEndToEndTest extends FetchScenarioTestBase {

    @Test
    void httpIsRefusedBeforeAnyRequest() {
        name = unique("plain");
        expectProblem(
                        publish(body(
                                org + "/" + name,
                                "1.0.0",
                                "http://" + TestHostResolver.WHEELS + "/x/" + Wheels.fileName(name, "1.0.0"))),
                        422,
                        "validation")
                .body("errors[0].field", equalTo("wheel_url"))
                .body("errors[0].message", containsString("https"));
    }

    @Test
    void loopbackOutsideTheAllowListIsRefusedAndNeverContacted() {
        name = unique("blocked");
        String path = "/" + Wheels.fileName(name, "1.0.0");
        TestServers.blocked().serve(path, Wheels.builder(name, "1.0.0").build());
        int before = TestServers.blocked().totalRequests();
        for (String host : new String[] {TestHostResolver.BLOCKED, "127.0.0.3", TestHostResolver.DUAL}) {
            expectProblem(
                            publish(body(
                                    org + "/" + name,
                                    "1.0.0",
                                    "https://" + host + ":"
                                            + TestServers.blocked().port() + path)),
                            422,
                            "url-not-allowed")
                    .body("detail", containsString("loopback"));
        }
        assertEquals(before, TestServers.blocked().totalRequests(), "a refused address must see no request");
        expectFailedRow("refused address");
    }

    @Test
    void refusedHostNamesNeverResolve() {
        name = unique("internal");
        for (String host : new String[] {"metadata.google.internal", "printer.local", "db.internal"}) {
            expectProblem(
                            publish(body(
                                    org + "/" + name,
                                    "1.0.0",
                                    "https://" + host + "/" + Wheels.fileName(name, "1.0.0"))),
                            422,
                            "url-not-allowed")
                    .body("detail", containsString(host));
        }
    }

    @Test
    void allowListOpensExactlyWhatItNames() {
        // 127.0.0.1/32 is named by the test allow-list: a literal URL to it passes the guard, connects and verifies
        // the certificate against its IP subjectAltName...
        name = unique("literal");
        Served wheel = serveWheel(name, "1.0.0");
        publish(body(
                        org + "/" + name,
                        "1.0.0",
                        "https://127.0.0.1:" + TestServers.wheels().port() + wheel.path()))
                .then()
                .statusCode(201);
        // ...a server there whose certificate does not name 127.0.0.1 fails on TLS...
        String mismatch = unique("literal");
        String path = "/" + java.util.UUID.randomUUID() + "/" + Wheels.fileName(mismatch, "1.0.0");
        TestServers.wrongCert().serve(path, Wheels.builder(mismatch, "1.0.0").build());
        expectProblem(
                        publish(body(
                                org + "/" + mismatch,
                                "1.0.0",
                                "https://127.0.0.1:" + TestServers.wrongCert().port() + path)),
                        502,
                        "fetch-failed")
                .body("detail", containsString("TLS"));
        // ...while its neighbour 127.0.0.3 is refused before any connection.
        int before = TestServers.blocked().totalRequests();
        String other = unique("neighbour");
        expectProblem(
                publish(body(
                        org + "/" + other,
                        "1.0.0",
                        "https://127.0.0.3:" + TestServers.blocked().port() + "/" + Wheels.fileName(other, "1.0.0"))),
                422,
                "url-not-allowed");
        assertEquals(before, TestServers.blocked().totalRequests());
    }

    @Test
    void redirectFromAnAllowedHostToARefusedAddressIs422() {
        name = unique("redir");
        String target = "https://" + TestHostResolver.BLOCKED + ":"
                + TestServers.blocked().port() + "/" + Wheels.fileName(name, "1.0.0");
        int before = TestServers.blocked().totalRequests();
        String path = "/" + java.util.UUID.randomUUID() + "/" + Wheels.fileName(name, "1.0.0");
        TestServers.wheels().route(path, Behaviour.redirect(302, target));
        expectProblem(publishPath(path), 422, "url-not-allowed").body("detail", containsString("loopback"));
        assertEquals(before, TestServers.blocked().totalRequests());
    }

    @Test
    void redirectToHttpIs422() {
        String path = route(Behaviour.redirect(301, "http://" + TestHostResolver.WHEELS + "/x.whl"));
        expectProblem(publishPath(path), 422, "url-not-allowed").body("detail", containsString("https"));
    }

    @Test
    void redirectsAreFollowedByHandUpToTheLimit() {
        name = unique("hops");
        file = Wheels.fileName(name, "1.0.0");
        byte[] bytes = Wheels.builder(name, "1.0.0").build();
        String base = "/" + java.util.UUID.randomUUID();
        TestServers.wheels().serve(base + "/final/" + file, bytes);
        TestServers.wheels().route(base + "/1/" + file, Behaviour.redirect(307, "../final/" + file));
        TestServers.wheels()
                .route(
                        base + "/0/" + file,
                        Behaviour.redirect(
                                302,
                                "https://" + TestHostResolver.MIRROR + ":"
                                        + TestServers.wheels().port() + base + "/1/" + file));
        publishPath(base + "/0/" + file).then().statusCode(201).body("wheel_sha256", equalTo(Wheels.sha256Hex(bytes)));
        // The mirror hop carried its own host name (Host header) while connecting to the checked address.
        assertTrue(TestServers.wheels()
                .requestHeaders(base + "/1/" + file, "host")
                .get(0)
                .startsWith(TestHostResolver.MIRROR));
        assertEquals(
                java.util.List.of("identity"),
                TestServers.wheels().requestHeaders(base + "/final/" + file, "accept-encoding"));
    }

    @Test
    void certificateIsCheckedAgainstTheUrlHostName() {
        name = unique("tls");
        String path = "/" + Wheels.fileName(name, "1.0.0");
        TestServers.wrongCert().serve(path, Wheels.builder(name, "1.0.0").build());
        expectProblem(
                        publish(body(
                                org + "/" + name,
                                "1.0.0",
                                "https://" + TestHostResolver.WHEELS + ":"
                                        + TestServers.wrongCert().port() + path)),
                        502,
                        "fetch-failed")
                .body("detail", containsString("TLS"));
        assertEquals(0, TestServers.wrongCert().requestCount(path));
    }

    @Test
    void sniCarriesTheUrlHostName() {
        Served wheel = serveWheel(name = unique("sni"), "1.0.0");
        publish(body(org + "/" + name, "1.0.0", wheel.url())).then().statusCode(201);
        assertEquals(TestHostResolver.WHEELS, TestServers.wheels().lastSniServerName());
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedBeforeReading() {
        String path = route(Behaviour.contentLengthOnly(64L * 1024 * 1024));
        expectProblem(publishPath(path), 422, "wheel-too-large").body("detail", containsString("limit"));
        assertTrue(TestServers.wheels().bytesWritten(path) < 4L * 1024 * 1024);
        expectFailedRow("limit");
    }

    @Test
    void undeclaredSizeIsStoppedAsSoonAsItPassesTheLimit() {
        String path = route(Behaviour.chunkedEndless(64 * 1024));
        expectProblem(publishPath(path), 422, "wheel-too-large");
        // 4 MiB limit in tests: the server may have written a little more into socket buffers, never far more.
        assertTrue(
                TestServers.wheels().bytesWritten(path) < 16L * 1024 * 1024,
                "wrote " + TestServers.wheels().bytesWritten(path));
    }

    @Test
    void unknownHostIs502() {
        name = unique("dns");
        expectProblem(
                        publish(body(
                                org + "/" + name,
                                "1.0.0",
                                "https://nowhere.registry.test/" + Wheels.fileName(name, "1.0.0"))),
                        502,
                        "fetch-failed")
                .body("detail", containsString("resolve"));
    }
}
