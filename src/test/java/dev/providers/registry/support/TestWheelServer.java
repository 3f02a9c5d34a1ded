package dev.providers.registry.support;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTPS (HTTP/1.1 only, no ALPN) server for wheel downloads, bound to a loopback address only.
 * <p>
 * Runs on its own {@link Vertx} instance (not Quarkus'). Routes are matched by exact request path
 * ({@link HttpServerRequest#path()}, i.e. without the query string); unknown paths answer 404.
 * All counters and recorded headers are keyed by that path, including for unknown paths.
 * <p>
 * Thread-safe: routes can be changed and counters read from any thread while the server runs.
 */
public final class TestWheelServer implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 10;
    /** Per iteration of the endless writers, yield the event loop after this many bytes. */
    private static final int MAX_BYTES_PER_TICK = 1 << 20;

    private final Vertx vertx;
    private final HttpServer server;
    private final String host;
    private final int port;

    private final Map<String, Behaviour> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, List<String>>>> headersByPath = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytesWritten = new ConcurrentHashMap<>();
    private final List<String> requestedPaths = new CopyOnWriteArrayList<>();
    private final Map<String, List<Integer>> clientPorts = new ConcurrentHashMap<>();
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final AtomicReference<String> lastSni = new AtomicReference<>();
    private final List<Throwable> connectionErrors = new CopyOnWriteArrayList<>();
    private final Set<Exchange> active = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Exchange>> heldExchanges = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TestWheelServer(Vertx vertx, String host, String certPem, String keyPem) {
        this.vertx = vertx;
        this.host = host;
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(0)
                .setSsl(true)
                .setSni(true)
                .setUseAlpn(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setIdleTimeout(0)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(certPem))
                        .setKeyValue(Buffer.buffer(keyPem)));
        this.server = vertx.createHttpServer(options)
                .exceptionHandler(connectionErrors::add) // e.g. TLS handshake failures; keep logs quiet
                .requestHandler(this::handle);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start TestWheelServer on " + host, e);
        }
        this.port = server.actualPort();
    }

    /**
     * Starts a TLS server on {@code loopbackHost} (an IPv4 literal in 127.0.0.0/8, e.g. "127.0.0.1" or
     * "127.0.0.3"), on an ephemeral port, with the PEM certificate chain and PKCS#8 key read from
     * classpath resources (e.g. "tls/wheels.pem", "tls/wheels.key"). Blocks until listening (max 10 s).
     *
     * @throws IllegalArgumentException if the host is not a 127.x.y.z literal or a resource is missing
     */
    public static TestWheelServer start(String loopbackHost, String certResource, String keyResource) {
        requireLoopbackLiteral(loopbackHost);
        String cert = readResource(certResource);
        String key = readResource(keyResource);
        Vertx vertx = Vertx.vertx();
        try {
            return new TestWheelServer(vertx, loopbackHost, cert, key);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * Like {@link #start(String, String, String)} with the PEM certificate chain and PKCS#8 key given as text
     * (e.g. read from files generated at run time).
     */
    public static TestWheelServer startWithPem(String loopbackHost, String certPem, String keyPem) {
        requireLoopbackLiteral(loopbackHost);
        Vertx vertx = Vertx.vertx();
        try {
            return new TestWheelServer(vertx, loopbackHost, certPem, keyPem);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Like {@link #startWithPem} with the certificate chain and key read from PEM files. */
    public static TestWheelServer startFromFiles(
            String loopbackHost, java.nio.file.Path certPem, java.nio.file.Path keyPem) {
        try {
            return startWithPem(
                    loopbackHost, java.nio.file.Files.readString(certPem), java.nio.file.Files.readString(keyPem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets every {@link Behaviour#held} response for {@code path} send the rest of its body and end: those in
     * progress now and those requested later.
     */
    public void release(String path) {
        released.add(path);
        List<Exchange> waiting = heldExchanges.remove(path);
        if (waiting != null) {
            for (Exchange e : waiting) {
                e.context.runOnContext(v -> e.releaseHeld());
            }
        }
    }

    /** Number of {@link Behaviour#held} responses for {@code path} that wait for {@link #release}. */
    public int heldCount(String path) {
        List<Exchange> waiting = heldExchanges.get(path);
        return waiting == null ? 0 : waiting.size();
    }

    /** The ephemeral port the server listens on. */
    public int port() {
        return port;
    }

    /** The loopback address the server is bound to, as given to {@link #start}. */
    public String host() {
        return host;
    }

    /** {@code https://<name>:<port><path>}, e.g. {@code url("wheels.registry.test", "/a.whl")}. */
    public String url(String hostName, String path) {
        return "https://" + hostName + ":" + port + path;
    }

    /** Serves {@code body} with 200 and {@code Content-Type: application/octet-stream} at {@code path}. */
    public void serve(String path, byte[] body) {
        route(path, Behaviour.ok(body));
    }

    /** Sets (replaces) the behaviour for an exact path. */
    public void route(String path, Behaviour behaviour) {
        routes.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(behaviour, "behaviour"));
    }

    /** Number of requests received for {@code path} (routed or not). */
    public int requestCount(String path) {
        AtomicInteger c = requestCounts.get(path);
        return c == null ? 0 : c.get();
    }

    /** Number of requests received for all paths. */
    public int totalRequests() {
        return totalRequests.get();
    }

    /** The client port of each request for {@code path}, in arrival order: one port per connection. */
    public List<Integer> clientPorts(String path) {
        return List.copyOf(clientPorts.getOrDefault(path, List.of()));
    }

    /** The paths of all requests received, in arrival order. */
    public List<String> requestedPaths() {
        return List.copyOf(requestedPaths);
    }

    /**
     * All values of header {@code name} (case-insensitive) received with requests for {@code path},
     * in arrival order, e.g. {@code requestHeaders("/x.whl", "host")}.
     */
    public List<String> requestHeaders(String path, String name) {
        List<Map<String, List<String>>> all = headersByPath.get(path);
        if (all == null) {
            return List.of();
        }
        String key = name.toLowerCase(java.util.Locale.ROOT);
        List<String> values = new ArrayList<>();
        for (Map<String, List<String>> headers : all) {
            values.addAll(headers.getOrDefault(key, List.of()));
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Body bytes that the server handed to the socket for {@code path} (all requests summed), counted
     * when each write completed. Meaningful for every behaviour, notably {@code chunkedEndless},
     * {@code contentLengthOnly} and {@code trickle}.
     */
    public long bytesWritten(String path) {
        AtomicLong c = bytesWritten.get(path);
        return c == null ? 0 : c.get();
    }

    /** The TLS SNI server name indicated by the client on the connection of the latest request, or null. */
    public String lastSniServerName() {
        return lastSni.get();
    }

    /** Connection-level errors seen by the server (e.g. TLS handshake failures), in order. */
    public List<Throwable> connectionErrors() {
        return List.copyOf(connectionErrors);
    }

    /** Number of requests whose responses are still in progress (not ended, connection open). */
    public int activeExchanges() {
        return active.size();
    }

    /** Clears routes, counters, recorded headers, SNI and errors. In-flight responses are not affected. */
    public void reset() {
        routes.clear();
        released.clear();
        heldExchanges.clear();
        requestCounts.clear();
        headersByPath.clear();
        bytesWritten.clear();
        requestedPaths.clear();
        clientPorts.clear();
        totalRequests.set(0);
        lastSni.set(null);
        connectionErrors.clear();
    }

    /** Stops everything: cancels behaviour timers, closes all connections, the server and its Vertx. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Exchange e : active) {
            e.stop();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not close TestWheelServer", e);
        }
    }

    // ------------------------------------------------------------------------------------------------

    private void handle(HttpServerRequest request) {
        String path = request.path();
        totalRequests.incrementAndGet();
        requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        requestedPaths.add(path);
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        request.headers()
                .forEach(h -> headers.computeIfAbsent(
                                h.getKey().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                        .add(h.getValue()));
        headersByPath.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(headers);
        clientPorts
                .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                .add(request.remoteAddress().port());
        HttpConnection connection = request.connection();
        lastSni.set(connection == null ? null : connection.indicatedServerName());

        Behaviour behaviour = routes.get(path);
        if (behaviour == null) {
            behaviour = Behaviour.status(404);
        }
        Exchange exchange = new Exchange(request, bytesWritten.computeIfAbsent(path, p -> new AtomicLong()));
        exchange.run(behaviour);
    }

    /** One request/response; owns the timers of its behaviour and cancels them when it ends or closes. */
    private final class Exchange {
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final AtomicLong written;
        private final Context context;
        private final Set<Long> timers = ConcurrentHashMap.newKeySet();
        private volatile boolean stopped;

        Exchange(HttpServerRequest request, AtomicLong written) {
            this.request = request;
            this.response = request.response();
            this.written = written;
            this.context = vertx.getOrCreateContext();
            active.add(this);
            response.closeHandler(v -> stop());
            response.endHandler(v -> stop());
            response.exceptionHandler(t -> stop());
            request.exceptionHandler(t -> stop());
        }

        void stop() {
            stopped = true;
            active.remove(this);
            for (Long id : timers) {
                vertx.cancelTimer(id);
            }
            timers.clear();
        }

        boolean live() {
            return !stopped && !closed && !response.closed();
        }

        void timer(long delayMillis, Runnable action) {
            long[] id = new long[1];
            id[0] = vertx.setTimer(Math.max(1, delayMillis), t -> {
                timers.remove(id[0]);
                if (live()) {
                    action.run();
                }
            });
            timers.add(id[0]);
            if (stopped) { // raced with stop()
                vertx.cancelTimer(id[0]);
            }
        }

        Future<Void> write(byte[] bytes, int offset, int length) {
            Buffer chunk = Buffer.buffer(length);
            chunk.appendBytes(bytes, offset, length);
            return response.write(chunk).onSuccess(v -> written.addAndGet(length));
        }

        void end(byte[] body) {
            response.end(Buffer.buffer(body)).onSuccess(v -> written.addAndGet(body.length));
        }

        void octetHeaders(long contentLength) {
            response.setStatusCode(200);
            response.putHeader("Content-Type", "application/octet-stream");
            response.putHeader("Content-Length", Long.toString(contentLength));
        }

        void run(Behaviour behaviour) {
            if (behaviour instanceof Behaviour.Ok ok) {
                octetHeaders(ok.body().length);
                end(ok.body());
            } else if (behaviour instanceof Behaviour.Status st) {
                byte[] body = (st.code() + " " + reason(st.code()) + "\n").getBytes(StandardCharsets.US_ASCII);
                response.setStatusCode(st.code());
                response.putHeader("Content-Type", "text/plain; charset=utf-8");
                response.putHeader("Content-Length", Integer.toString(body.length));
                end(body);
            } else if (behaviour instanceof Behaviour.Redirect r) {
                response.setStatusCode(r.code());
                response.putHeader("Location", r.location());
                response.putHeader("Content-Length", "0");
                response.end();
            } else if (behaviour instanceof Behaviour.Gzip g) {
                byte[] compressed = gzipBytes(g.body());
                octetHeaders(compressed.length);
                response.putHeader("Content-Encoding", "gzip");
                end(compressed);
            } else if (behaviour instanceof Behaviour.LieContentLength l) {
                octetHeaders(l.claimed());
                write(l.body(), 0, l.body().length).onComplete(ar -> closeConnection(false));
            } else if (behaviour instanceof Behaviour.ChunkedEndless c) {
                response.setStatusCode(200);
                response.putHeader("Content-Type", "application/octet-stream");
                response.setChunked(true);
                pump(c.chunkSize(), Long.MAX_VALUE);
            } else if (behaviour instanceof Behaviour.ContentLengthOnly c) {
                octetHeaders(c.claimed());
                pump(16 * 1024, c.claimed());
            } else if (behaviour instanceof Behaviour.ResetMidBody r) {
                octetHeaders(r.body().length);
                int n = Math.min(r.afterBytes(), r.body().length);
                Future<Void> w = n > 0 ? write(r.body(), 0, n) : response.writeHead();
                // give the bytes a moment to leave before the RST (an RST discards unsent data)
                w.onComplete(ar -> timer(50, () -> closeConnection(true)));
            } else if (behaviour instanceof Behaviour.Stall s) {
                octetHeaders(s.claimed());
                if (s.prefix().length > 0) {
                    write(s.prefix(), 0, s.prefix().length);
                } else {
                    response.writeHead(); // flushes the headers
                }
            } else if (behaviour instanceof Behaviour.Trickle t) {
                octetHeaders(t.body().length);
                response.writeHead();
                trickle(t.body(), 0, t.intervalMillis());
            } else if (behaviour instanceof Behaviour.Held h) {
                octetHeaders(h.body().length);
                held = h;
                write(h.body(), 0, h.prefixBytes()).onComplete(ar -> {
                    String path = request.path();
                    if (released.contains(path)) {
                        releaseHeld();
                    } else {
                        heldExchanges
                                .computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                                .add(this);
                        if (released.contains(path)) { // raced with release()
                            release(path);
                        }
                    }
                });
            } else if (behaviour instanceof Behaviour.CloseBeforeAnswer c) {
                if (c.answered().incrementAndGet() <= c.closes()) {
                    closeConnection(false);
                } else {
                    octetHeaders(c.body().length);
                    end(c.body());
                }
            } else if (behaviour instanceof Behaviour.NoAnswer) {
                // accept the request, never answer
            } else {
                throw new IllegalStateException("unknown behaviour " + behaviour);
            }
        }

        private Behaviour.Held held;

        void releaseHeld() {
            Behaviour.Held h = held;
            held = null;
            if (h != null && live()) {
                write(h.body(), h.prefixBytes(), h.body().length - h.prefixBytes())
                        .onComplete(ar -> response.end());
            }
        }

        private void trickle(byte[] body, int index, long interval) {
            if (index >= body.length) {
                response.end();
                return;
            }
            timer(interval, () -> write(body, index, 1).onSuccess(v -> trickle(body, index + 1, interval)));
        }

        /** Writes random bytes as fast as the client drains (respecting backpressure), up to {@code limit}. */
        private void pump(int chunkSize, long limit) {
            long[] sent = {0};
            Runnable[] step = new Runnable[1];
            step[0] = () -> {
                int thisTick = 0;
                while (live() && sent[0] < limit) {
                    if (response.writeQueueFull()) {
                        response.drainHandler(v -> context.runOnContext(x -> step[0].run()));
                        return;
                    }
                    if (thisTick >= MAX_BYTES_PER_TICK) {
                        context.runOnContext(x -> step[0].run()); // let the event loop breathe
                        return;
                    }
                    int n = (int) Math.min(chunkSize, limit - sent[0]);
                    byte[] bytes = new byte[n];
                    ThreadLocalRandom.current().nextBytes(bytes);
                    write(bytes, 0, n);
                    sent[0] += n;
                    thisTick += n;
                }
                if (live() && sent[0] >= limit) {
                    response.end();
                }
            };
            step[0].run();
        }

        private void closeConnection(boolean rst) {
            stop();
            HttpConnection conn = request.connection();
            if (rst && conn instanceof ConnectionBase base) {
                Channel ch = base.channel();
                try {
                    // SO_LINGER=0 makes close() send a TCP RST; closing via unsafe() bypasses the pipeline,
                    // so the SslHandler does not send a TLS close_notify first (an abrupt reset, no clean EOF)
                    ch.config().setOption(ChannelOption.SO_LINGER, 0);
                    ch.eventLoop().execute(() -> ch.unsafe().close(ch.voidPromise()));
                } catch (RuntimeException e) {
                    ch.close(); // a normal close is acceptable as a fallback
                }
            } else {
                conn.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** What the server does for a path. Create with the static factories. */
    public sealed interface Behaviour {

        /** 200, {@code Content-Type: application/octet-stream}, {@code Content-Length}, the body. */
        static Behaviour ok(byte[] body) {
            return new Ok(body.clone());
        }

        /** The given status with a small {@code text/plain} body such as "404 Not Found\n". */
        static Behaviour status(int code) {
            if (code < 100 || code > 599) {
                throw new IllegalArgumentException("status " + code);
            }
            return new Status(code);
        }

        /** A redirect (301/302/303/307/308) with {@code Location} exactly as given (relative or absolute). */
        static Behaviour redirect(int code, String location) {
            if (code < 300 || code > 399) {
                throw new IllegalArgumentException("not a redirect status: " + code);
            }
            return new Redirect(code, Objects.requireNonNull(location));
        }

        /** 200 with {@code Content-Encoding: gzip} and the gzip-compressed body, whatever Accept-Encoding says. */
        static Behaviour gzip(byte[] body) {
            return new Gzip(body.clone());
        }

        /** Sends {@code Content-Length: claimed} (> body length), writes the body, then closes the connection. */
        static Behaviour lieContentLength(byte[] body, long claimed) {
            if (claimed <= body.length) {
                throw new IllegalArgumentException("claimed length must exceed the body length");
            }
            return new LieContentLength(body.clone(), claimed);
        }

        /** Chunked transfer of random bytes, as fast as the client drains, until the connection closes. */
        static Behaviour chunkedEndless(int chunkSize) {
            if (chunkSize <= 0) {
                throw new IllegalArgumentException("chunkSize " + chunkSize);
            }
            return new ChunkedEndless(chunkSize);
        }

        /**
         * Sends {@code Content-Length: claimed} (e.g. 10 GiB), then random bytes as fast as the client
         * drains until the connection closes (or {@code claimed} bytes were sent).
         */
        static Behaviour contentLengthOnly(long claimed) {
            if (claimed <= 0) {
                throw new IllegalArgumentException("claimed " + claimed);
            }
            return new ContentLengthOnly(claimed);
        }

        /**
         * {@code Content-Length} of the full body, writes the first {@code afterBytes} bytes, then resets
         * the TCP connection (SO_LINGER=0 close, i.e. an RST; plain close if that is unavailable).
         */
        static Behaviour resetMidBody(byte[] body, int afterBytes) {
            if (afterBytes < 0 || afterBytes >= body.length) {
                throw new IllegalArgumentException("afterBytes must be in [0, body.length)");
            }
            return new ResetMidBody(body.clone(), afterBytes);
        }

        /**
         * Sends headers with {@code Content-Length: prefix.length + 1 MiB} and the prefix, then nothing more,
         * never closing (until the server closes).
         */
        static Behaviour stall(byte[] prefix) {
            return new Stall(prefix.clone(), prefix.length + (1L << 20));
        }

        /** Like {@link #stall(byte[])} with an explicit Content-Length ({@code > prefix.length}). */
        static Behaviour stall(byte[] prefix, long claimed) {
            if (claimed <= prefix.length) {
                throw new IllegalArgumentException("claimed length must exceed the prefix length");
            }
            return new Stall(prefix.clone(), claimed);
        }

        /** Headers with the full Content-Length at once, then one body byte every {@code intervalMillis}. */
        static Behaviour trickle(byte[] body, long intervalMillis) {
            if (intervalMillis <= 0) {
                throw new IllegalArgumentException("intervalMillis " + intervalMillis);
            }
            return new Trickle(body.clone(), intervalMillis);
        }

        /**
         * Headers with the full Content-Length and the first {@code prefixBytes} of the body, then nothing until the
         * test calls {@link TestWheelServer#release(String)} for the path; then the rest of the body.
         */
        static Behaviour held(byte[] body, int prefixBytes) {
            if (prefixBytes < 0 || prefixBytes >= body.length) {
                throw new IllegalArgumentException("prefixBytes must be in [0, body.length)");
            }
            return new Held(body.clone(), prefixBytes);
        }

        /**
         * Closes the connection without answering the first {@code closes} requests (as a server does with a
         * kept-alive connection it drops just as the client reuses it), then answers 200 with the body.
         */
        static Behaviour closeBeforeAnswer(int closes, byte[] body) {
            return new CloseBeforeAnswer(closes, body.clone(), new AtomicInteger());
        }

        /** Accepts the request and never sends anything (not even headers). */
        static Behaviour noAnswer() {
            return new NoAnswer();
        }

        record Ok(byte[] body) implements Behaviour {}

        record Status(int code) implements Behaviour {}

        record Redirect(int code, String location) implements Behaviour {}

        record Gzip(byte[] body) implements Behaviour {}

        record LieContentLength(byte[] body, long claimed) implements Behaviour {}

        record ChunkedEndless(int chunkSize) implements Behaviour {}

        record ContentLengthOnly(long claimed) implements Behaviour {}

        record ResetMidBody(byte[] body, int afterBytes) implements Behaviour {}

        record Stall(byte[] prefix, long claimed) implements Behaviour {}

        record Trickle(byte[] body, long intervalMillis) implements Behaviour {}

        record NoAnswer() implements Behaviour {}

        record CloseBeforeAnswer(int closes, byte[] body, AtomicInteger answered) implements Behaviour {}

        record Held(byte[] body, int prefixBytes) implements Behaviour {}
    }

    // ------------------------------------------------------------------------------------------------

    /** Gzip-compresses {@code data} (what {@link Behaviour#gzip} sends). */
    public static byte[] gzipBytes(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads a classpath resource (via this class' class loader) as UTF-8 text. */
    public static String readResource(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        ClassLoader cl = TestWheelServer.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(n)) {
            if (in == null) {
                throw new IllegalArgumentException("classpath resource not found: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts only IPv4 literals in 127.0.0.0/8; never resolves names. */
    static void requireLoopbackLiteral(String host) {
        if (host == null) {
            throw new IllegalArgumentException("host is null");
        }
        String[] parts = host.split("\\.", -1);
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            ok = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
        }
        if (!ok || !parts[0].equals("127")) {
            throw new IllegalArgumentException("not a 127.0.0.0/8 IPv4 literal: " + host);
        }
    }

    private static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
