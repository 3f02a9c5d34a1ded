package dev.providers.registry.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.TestWheelServer.Behaviour;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tests of the test support itself: TLS material, {@link TestWheelServer} behaviours observed from a
 * Vert.x HttpClient trusting the test CA. Plain JUnit, loopback only.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TestWheelServerTest {

    private static final String HOST = "wheels.registry.test";

    private static Vertx clientVertx;
    private static HttpClient client;
    private static TestWheelServer server;

    @BeforeAll
    static void startAll() {
        clientVertx = Vertx.vertx();
        client = clientVertx.createHttpClient(trustingClientOptions());
        server = TestWheelServer.start("127.0.0.1", "tls/wheels.pem", "tls/wheels.key");
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (server != null) {
            server.close();
        }
        if (clientVertx != null) {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    static HttpClientOptions trustingClientOptions() {
        return new HttpClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions()
                        .addCertValue(Buffer.buffer(TestWheelServer.readResource("tls/test-ca.pem"))))
                .setVerifyHost(true)
                .setForceSni(true)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setUseAlpn(false)
                .setKeepAlive(false) // one connection per request: simpler to reason about in these tests
                .setConnectTimeout(5_000);
    }

    static RequestOptions get(TestWheelServer s, String hostName, String path) {
        return new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(s.port(), s.host()))
                .setHost(hostName)
                .setPort(s.port())
                .setURI(path);
    }

    record Response(int status, MultiMap headers, byte[] body) {}

    static Future<Response> fetch(HttpClient c, RequestOptions options) {
        return c.request(options)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.headers(), b.getBytes())));
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    static Throwable awaitFailure(Future<?> f) {
        CompletableFuture<?> cf = f.toCompletionStage().toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> cf.get(15, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** Waits until the counter has not changed for {@code quietMillis}, returns the settled value. */
    static long settled(LongSupplier counter, long quietMillis) throws InterruptedException {
        long last = counter.getAsLong();
        long since = System.nanoTime();
        long deadline = since + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(quietMillis)) {
            Thread.sleep(20);
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("counter never settled: " + now);
            }
        }
        return last;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    // ---------------------------------------------------------------------------------------- TLS

    @Test
    void handshakeSucceedsForEverySanNameAndSniIsSent() throws Exception {
        server.serve("/a.whl", new byte[] {1, 2, 3});
        for (String name : List.of("wheels.registry.test", "mirror.registry.test", "blocked.registry.test")) {
            Response r = await(fetch(client, get(server, name, "/a.whl")));
            assertEquals(200, r.status());
            assertEquals(name, server.lastSniServerName());
        }
        assertEquals(
                List.of(
                        "wheels.registry.test:" + server.port(),
                        "mirror.registry.test:" + server.port(),
                        "blocked.registry.test:" + server.port()),
                server.requestHeaders("/a.whl", "host"));
    }

    @Test
    void handshakeFailsForNameNotInCertificate() {
        server.serve("/a.whl", new byte[] {1});
        Throwable t = awaitFailure(fetch(client, get(server, "other.example.test", "/a.whl")));
        assertTrue(isTlsFailure(t), () -> "expected TLS failure, got " + t);
        assertEquals(0, server.requestCount("/a.whl"));
    }

    @Test
    void handshakeFailsWhenServerPresentsCertificateForAnotherName() throws Exception {
        try (TestWheelServer other = TestWheelServer.start("127.0.0.1", "tls/other.pem", "tls/other.key")) {
            other.serve("/a.whl", new byte[] {1});
            Throwable t = awaitFailure(fetch(client, get(other, HOST, "/a.whl")));
            assertTrue(isTlsFailure(t), () -> "expected TLS failure, got " + t);
            assertEquals(0, other.totalRequests());
            // sanity: the same server is fine for the name its certificate does carry
            assertEquals(
                    200,
                    await(fetch(client, get(other, "other.example.test", "/a.whl")))
                            .status());
        }
    }

    @Test
    void handshakeFailsWithoutTestCaTrust() throws Exception {
        HttpClient untrusting = clientVertx.createHttpClient(new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setUseAlpn(false)
                .setKeepAlive(false));
        try {
            server.serve("/a.whl", new byte[] {1});
            Throwable t = awaitFailure(fetch(untrusting, get(server, HOST, "/a.whl")));
            assertTrue(isTlsFailure(t), () -> "expected TLS failure, got " + t);
        } finally {
            await(untrusting.close());
        }
    }

    @Test
    void otherLoopbackAddressWorksAndNonLoopbackIsRefused() throws Exception {
        try (TestWheelServer s3 = TestWheelServer.start("127.0.0.3", "tls/wheels.pem", "tls/wheels.key")) {
            assertEquals("127.0.0.3", s3.host());
            s3.serve("/x.whl", new byte[] {7});
            assertArrayEquals(
                    new byte[] {7},
                    await(fetch(client, get(s3, "mirror.registry.test", "/x.whl")))
                            .body());
        }
        for (String bad : List.of("10.0.0.1", "0.0.0.0", "localhost", "::1", "128.0.0.1", "127.0.0")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> TestWheelServer.start(bad, "tls/wheels.pem", "tls/wheels.key"),
                    bad);
        }
    }

    static boolean isTlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------- behaviours

    @Test
    void okServesExactBytesWithHeadersAndCounts() throws Exception {
        byte[] wheel = Wheels.builder("acme-provider", "1.0.0").padding(100_000).build();
        server.serve("/acme.whl", wheel);
        Response r = await(fetch(client, get(server, HOST, "/acme.whl")));
        assertEquals(200, r.status());
        assertArrayEquals(wheel, r.body());
        assertEquals("application/octet-stream", r.headers().get("content-type"));
        assertEquals(Integer.toString(wheel.length), r.headers().get("content-length"));
        await(fetch(client, get(server, HOST, "/acme.whl?x=1")));
        assertEquals(2, server.requestCount("/acme.whl"));
        assertEquals(2, server.totalRequests());
        assertEquals(List.of("/acme.whl", "/acme.whl"), server.requestedPaths());
        assertEquals(2L * wheel.length, settled(() -> server.bytesWritten("/acme.whl"), 50));
    }

    @Test
    void unknownPathIs404AndResetClears() throws Exception {
        Response r = await(fetch(client, get(server, HOST, "/nope")));
        assertEquals(404, r.status());
        assertEquals(1, server.requestCount("/nope"));
        server.reset();
        assertEquals(0, server.requestCount("/nope"));
        assertEquals(0, server.totalRequests());
        assertEquals(List.of(), server.requestHeaders("/nope", "host"));
    }

    @Test
    void statusAnswersWithCodeAndSmallBody() throws Exception {
        server.route("/err", Behaviour.status(500));
        Response r = await(fetch(client, get(server, HOST, "/err")));
        assertEquals(500, r.status());
        assertTrue(new String(r.body()).startsWith("500"));
    }

    @Test
    void redirectSendsLocationVerbatim() throws Exception {
        server.route("/r1", Behaviour.redirect(302, "/target.whl"));
        server.route("/r2", Behaviour.redirect(308, "https://mirror.registry.test:" + server.port() + "/t.whl"));
        Response r1 = await(fetch(client, get(server, HOST, "/r1")));
        assertEquals(302, r1.status());
        assertEquals("/target.whl", r1.headers().get("location"));
        Response r2 = await(fetch(client, get(server, HOST, "/r2")));
        assertEquals(308, r2.status());
        assertEquals(
                "https://mirror.registry.test:" + server.port() + "/t.whl",
                r2.headers().get("location"));
        assertEquals(0, server.requestCount("/target.whl")); // client does not follow by default
    }

    @Test
    void gzipIsSentRegardlessOfAcceptEncoding() throws Exception {
        byte[] body = ("hello wheel ".repeat(1000)).getBytes();
        server.route("/gz", Behaviour.gzip(body));
        Response r = await(fetch(client, get(server, HOST, "/gz")));
        assertEquals("gzip", r.headers().get("content-encoding"));
        assertTrue(r.body().length < body.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            assertArrayEquals(body, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(server.requestHeaders("/gz", "accept-encoding").isEmpty());
    }

    @Test
    void lieContentLengthEndsInFailureAfterShortBody() throws Exception {
        byte[] body = bytes(5000, 1);
        server.route("/lie", Behaviour.lieContentLength(body, 50_000));
        AtomicLong received = new AtomicLong();
        Promise<Void> ended = Promise.promise();
        await(client.request(get(server, HOST, "/lie"))
                .compose(req -> req.send())
                .onSuccess(resp -> {
                    assertEquals("50000", resp.headers().get("content-length"));
                    resp.handler(b -> received.addAndGet(b.length()));
                    resp.endHandler(v -> ended.tryComplete());
                    resp.exceptionHandler(ended::tryFail);
                }));
        Throwable t = awaitFailure(ended.future());
        assertNotNull(t);
        assertEquals(body.length, received.get());
    }

    @Test
    void resetMidBodyFailsTheDownload() throws Exception {
        byte[] body = bytes(100_000, 2);
        server.route("/rst", Behaviour.resetMidBody(body, 10_000));
        AtomicLong received = new AtomicLong();
        Promise<Void> ended = Promise.promise();
        client.request(get(server, HOST, "/rst"))
                .compose(req -> {
                    req.connection().exceptionHandler(t -> {}); // expected "Connection reset"; keep the log quiet
                    return req.send();
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        ended.tryFail(ar.cause());
                        return;
                    }
                    ar.result().handler(b -> received.addAndGet(b.length()));
                    ar.result().endHandler(v -> ended.tryComplete());
                    ar.result().exceptionHandler(ended::tryFail);
                });
        Throwable t = awaitFailure(ended.future());
        assertNotNull(t);
        assertTrue(received.get() <= 10_000, "received " + received.get());
    }

    @Test
    void stallTriggersClientIdleTimeout() throws Exception {
        // Note: with Vert.x 4.5.27 the per-request RequestOptions#setIdleTimeout did NOT fire once the
        // response headers had arrived (body stalled); the connection idle timeout does.
        HttpClient idle = clientVertx.createHttpClient(trustingClientOptions()
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout(400));
        try {
            server.route("/stall", Behaviour.stall(bytes(1000, 3)));
            AtomicLong received = new AtomicLong();
            Promise<Void> ended = Promise.promise();
            long t0 = System.nanoTime();
            idle.request(get(server, HOST, "/stall")).compose(req -> req.send()).onComplete(ar -> {
                if (ar.failed()) {
                    ended.tryFail(ar.cause());
                    return;
                }
                assertEquals(Integer.toString(1000 + (1 << 20)), ar.result().getHeader("content-length"));
                ar.result().handler(b -> received.addAndGet(b.length()));
                ar.result().endHandler(v -> ended.tryComplete());
                ar.result().exceptionHandler(ended::tryFail);
            });
            Throwable t = awaitFailure(ended.future());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertNotNull(t);
            assertEquals(1000, received.get());
            assertTrue(ms >= 350 && ms < 5000, "elapsed " + ms);
            assertEquals(1000, server.bytesWritten("/stall"));
        } finally {
            await(idle.close());
        }
    }

    @Test
    void noAnswerNeverSendsHeaders() throws Exception {
        server.route("/silent", Behaviour.noAnswer());
        Throwable t = awaitFailure(fetch(client, get(server, HOST, "/silent").setIdleTimeout(300)));
        assertTrue(String.valueOf(t).toLowerCase().contains("timeout"), () -> "expected a timeout, got " + t);
        assertEquals(1, server.requestCount("/silent"));
    }

    @Test
    void trickleIsSlowButComplete() throws Exception {
        byte[] body = bytes(6, 4);
        server.route("/slow", Behaviour.trickle(body, 80));
        long t0 = System.nanoTime();
        Response r = await(fetch(client, get(server, HOST, "/slow")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertArrayEquals(body, r.body());
        assertTrue(ms >= 6 * 80 - 60, "too fast: " + ms + " ms");
    }

    @Test
    void trickleStopsWhenClientGoesAway() throws Exception {
        byte[] body = bytes(1000, 5);
        server.route("/slow2", Behaviour.trickle(body, 20));
        Promise<Void> closed = Promise.promise();
        AtomicLong received = new AtomicLong();
        client.request(get(server, HOST, "/slow2")).compose(req -> req.send()).onSuccess(resp -> {
            resp.exceptionHandler(t -> {});
            resp.handler(b -> {
                if (received.addAndGet(b.length()) >= 3 && !closed.future().isComplete()) {
                    resp.request().connection().close().onComplete(ar -> closed.tryComplete());
                }
            });
        });
        await(closed.future());
        long after = settled(() -> server.bytesWritten("/slow2"), 200);
        assertTrue(after < 20, "timer kept writing: " + after);
        Eventually.await(() -> server.activeExchanges() == 0, 5, "exchange stopped");
    }

    @Test
    void chunkedEndlessStreamsUntilClientCloses() throws Exception {
        server.route("/endless", Behaviour.chunkedEndless(8192));
        long limit = 5L << 20;
        AtomicLong received = new AtomicLong();
        Promise<Void> closed = Promise.promise();
        client.request(get(server, HOST, "/endless")).compose(req -> req.send()).onSuccess(resp -> {
            assertEquals("chunked", resp.headers().get("transfer-encoding"));
            resp.exceptionHandler(t -> {});
            resp.handler(b -> {
                if (received.addAndGet(b.length()) > limit && !closed.future().isComplete()) {
                    resp.request().connection().close().onComplete(ar -> closed.tryComplete());
                }
            });
        });
        await(closed.future());
        long written = settled(() -> server.bytesWritten("/endless"), 200);
        assertTrue(written >= limit, "written " + written);
        // backpressure: the server cannot be far ahead of what the client consumed
        assertTrue(written < received.get() + (8L << 20), "written " + written + " received " + received.get());
        Eventually.await(() -> server.activeExchanges() == 0, 5, "exchange stopped");
    }

    @Test
    void contentLengthOnlyAnnouncesHugeLengthAndStreamsUntilClosed() throws Exception {
        long claimed = 10L << 30;
        server.route("/huge", Behaviour.contentLengthOnly(claimed));
        long limit = 2L << 20;
        AtomicLong received = new AtomicLong();
        Promise<String> closed = Promise.promise();
        client.request(get(server, HOST, "/huge")).compose(req -> req.send()).onSuccess(resp -> {
            resp.exceptionHandler(t -> {});
            resp.handler(b -> {
                if (received.addAndGet(b.length()) > limit && !closed.future().isComplete()) {
                    String cl = resp.headers().get("content-length");
                    resp.request().connection().close().onComplete(ar -> closed.tryComplete(cl));
                }
            });
        });
        assertEquals(Long.toString(claimed), await(closed.future()));
        long written = settled(() -> server.bytesWritten("/huge"), 200);
        assertTrue(written >= limit && written < claimed, "written " + written);
        Eventually.await(() -> server.activeExchanges() == 0, 5, "exchange stopped");
    }

    @Test
    void closeStopsStalledAndSilentExchanges() throws Exception {
        TestWheelServer s = TestWheelServer.start("127.0.0.1", "tls/wheels.pem", "tls/wheels.key");
        s.route("/stall", Behaviour.stall(new byte[] {1, 2, 3}));
        s.route("/slow", Behaviour.trickle(bytes(1000, 6), 50));
        Future<Response> stalled = fetch(client, get(s, HOST, "/stall"));
        Future<Response> slow = fetch(client, get(s, HOST, "/slow"));
        Eventually.await(() -> s.totalRequests() == 2, 5, "both requests arrived");
        s.close();
        assertNotNull(awaitFailure(stalled));
        assertNotNull(awaitFailure(slow));
        assertEquals(0, s.activeExchanges());
        assertFalse(s.bytesWritten("/slow") > 100);
    }
}
