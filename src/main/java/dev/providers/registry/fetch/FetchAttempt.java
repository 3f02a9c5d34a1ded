package dev.providers.registry.fetch;

import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.problem.ProblemException;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.WriteStream;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.client.predicate.ErrorConverter;
import io.vertx.mutiny.ext.web.client.predicate.ResponsePredicate;
import io.vertx.mutiny.ext.web.client.predicate.ResponsePredicateResult;
import io.vertx.mutiny.ext.web.codec.BodyCodec;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;

/**
 * One fetch, hop by hop; all callbacks run on one Vert.x context, so the state needs no locking. Each hop is one web
 * client request pinned to a checked address, whose head is checked before its body is read ({@link #headRefusal});
 * the final body is piped into the sink, which paces the connection through its write queue.
 */
final class FetchAttempt {

    private final Vertx vertx;
    private final Context context;
    private final WebClient client;
    private final SentRequests sentRequests;
    private final FetchGuard guard;
    private final FetchLimits limits;
    private final WatchedBody body;
    private final LongConsumer declaredLength;
    private final UniEmitter<? super FetchResult> emitter;

    private boolean finished;
    private long deadlineTimer = -1;
    private long idleTimer = -1;
    private long lastActivity;
    /** The sink asked for a pause (its write queue is full); the idle clock stops meanwhile. */
    private boolean paused;

    private String address;
    private HttpClientRequest current;
    /** The current request's head was refused (a redirect or a failure) before its body was read. */
    private boolean headRefused;
    /** The current request's head arrived (accepted or refused). */
    private boolean headSeen;
    /** The current hop was already sent again once after its connection closed before any answer. */
    private boolean resent;

    private long declared = -1;
    private long received;
    /** What the sink refused a write or its end with: not a transfer failure. */
    private Throwable sinkFailure;

    FetchAttempt(
            Vertx vertx,
            Context context,
            WebClient client,
            SentRequests sentRequests,
            FetchGuard guard,
            FetchLimits limits,
            WriteStream<Buffer> sink,
            LongConsumer declaredLength,
            UniEmitter<? super FetchResult> emitter) {
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.sentRequests = sentRequests;
        this.guard = guard;
        this.limits = limits;
        this.body = new WatchedBody(sink);
        this.declaredLength = declaredLength;
        this.emitter = emitter;
    }

    void start(WheelUrl url) {
        context.runOnContext(v -> {
            deadlineTimer = vertx.setTimer(
                    limits.deadline().toMillis(),
                    id -> fail(FetchProblems.timeout("the wheel was not fetched within the "
                            + human(limits.deadline().toMillis()) + " deadline")));
            // The idle clock is ours rather than the client's: it must not count the pauses the sink asks for.
            lastActivity = System.nanoTime();
            long idleMillis = limits.idleTimeout().toMillis();
            idleTimer = vertx.setPeriodic(Math.max(50, Math.min(1000, idleMillis / 4)), id -> {
                if (!paused && System.nanoTime() - lastActivity > idleMillis * 1_000_000L) {
                    fail(FetchProblems.timeout("the wheel server sent nothing for " + human(idleMillis)));
                }
            });
            emitter.onTermination(() -> context.runOnContext(x -> abort()));
            hop(url, 0);
        });
    }

    private void hop(WheelUrl url, int redirects) {
        lastActivity = System.nanoTime();
        resent = false;
        context.<List<InetAddress>>executeBlocking(() -> guard.admit(url), false)
                .onComplete(admitted -> {
                    if (finished) {
                        return;
                    }
                    if (admitted.failed()) {
                        fail(admitted.cause());
                    } else {
                        connect(url, admitted.result(), 0, redirects);
                    }
                });
    }

    private void connect(WheelUrl url, List<InetAddress> addresses, int index, int redirects) {
        InetAddress pinned = addresses.get(index);
        address = pinned.getHostAddress();
        current = null;
        headRefused = false;
        headSeen = false;
        // The connection goes to the checked address; the URL's host still drives Host, SNI and the certificate check.
        HttpRequest<Void> request = client.request(
                        HttpMethod.GET,
                        SocketAddress.inetSocketAddress(new InetSocketAddress(pinned, url.port())),
                        url.port(),
                        url.host(),
                        url.pathAndRest())
                .ssl(true)
                .followRedirects(false)
                .connectTimeout(limits.connectTimeout().toMillis())
                .putHeader(HttpHeaders.ACCEPT_ENCODING.toString(), "identity")
                .expect(headCheck(url))
                // The Mutiny pipe codec unwraps this wrapper: the core pipe writes into the body itself, and its
                // writeQueueFull/drainHandler pacing is the body's own.
                .as(BodyCodec.pipe(io.vertx.mutiny.core.streams.WriteStream.newInstance(body), true));
        // The interceptor sees the core request under the Mutiny one.
        sentRequests.watch(request.getDelegate(), sent -> {
            // A reset that arrives once this fetch has already failed (a server that RSTs mid-body) reaches the
            // connection rather than a stream, and Vert.x would log it as an ERROR: the stream's failure was
            // classified.
            sent.connection().exceptionHandler(afterTheStream -> {});
            if (finished) {
                sent.reset();
            } else {
                current = sent;
            }
        });
        // Subscribing sends the request; the outcome arrives on this context, as the core client delivers it.
        request.send()
                .subscribe()
                .with(
                        ended -> {
                            sentRequests.forget(request.getDelegate());
                            if (!finished) {
                                bodyEnded(url, redirects);
                            }
                        },
                        failure -> {
                            sentRequests.forget(request.getDelegate());
                            if (!finished) {
                                requestFailed(url, addresses, index, redirects, failure);
                            }
                        });
    }

    /** The request failed: a refused head (a redirect is followed), another address to try, or the end. */
    private void requestFailed(WheelUrl url, List<InetAddress> addresses, int index, int redirects, Throwable failure) {
        if (headRefused) {
            abandonHead();
            if (failure instanceof Redirect redirect) {
                follow(url, redirect.location, redirects);
            } else {
                fail(failure);
            }
        } else if (current == null && index + 1 < addresses.size() && isConnectFailure(failure)) {
            connect(url, addresses, index + 1, redirects);
        } else if (closedBeforeAnswer(failure) && !resent) {
            // A kept-alive connection that the server closed as it was reused fails before any answer. The GET is
            // idempotent and nothing reached the sink: send it once more, on a new connection.
            resent = true;
            connect(url, addresses, index, redirects);
        } else {
            fail(current == null ? classifyConnect(url, failure) : classifyTransfer(url, failure));
        }
    }

    private boolean closedBeforeAnswer(Throwable failure) {
        return current != null
                && !headSeen
                && received == 0
                && !(failure instanceof ProblemException)
                && failure != sinkFailure
                && !hasCause(failure, SSLException.class)
                && !isTimeout(failure);
    }

    /** Runs on the head, before one byte of the body is read: a refusal fails the request with that refusal. */
    private ResponsePredicate headCheck(WheelUrl url) {
        Throwable[] refusal = new Throwable[1];
        return ResponsePredicate.create(
                head -> {
                    lastActivity = System.nanoTime();
                    headSeen = true;
                    refusal[0] = headRefusal(url, head);
                    headRefused = refusal[0] != null;
                    if (headRefused) {
                        return ResponsePredicateResult.failure(refusal[0].getMessage());
                    }
                    declared = declaredLength(head);
                    if (declared >= 0) {
                        declaredLength.accept(declared);
                    }
                    return ResponsePredicateResult.success();
                },
                ErrorConverter.create(result -> refusal[0]));
    }

    private Throwable headRefusal(WheelUrl url, HttpResponse<Void> head) {
        int status = head.statusCode();
        String location = head.getHeader(HttpHeaders.LOCATION.toString());
        if (status >= 300 && status < 400 && location != null) {
            return new Redirect(location);
        }
        if (status < 200 || status >= 300) {
            return FetchProblems.failed("the wheel server answered HTTP " + status + " for " + url.value());
        }
        String encoding = head.getHeader(HttpHeaders.CONTENT_ENCODING.toString());
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return FetchProblems.failed("the wheel server sent a content-encoded body; the digest must cover the exact "
                    + "wheel bytes (Content-Encoding must be identity)");
        }
        long length = declaredLength(head);
        if (length > limits.maxBytes()) {
            return FetchProblems.tooLarge("the wheel is " + length + " bytes; the limit is " + limits.maxBytes());
        }
        return null;
    }

    private void follow(WheelUrl from, String location, int redirects) {
        if (redirects + 1 > limits.maxRedirects()) {
            fail(FetchProblems.failed("too many redirects (more than " + limits.maxRedirects() + ")"));
            return;
        }
        WheelUrl next;
        try {
            next = WheelUrl.resolveRedirect(from, location);
        } catch (IllegalArgumentException e) {
            fail(FetchProblems.notAllowed(
                    "redirect " + (redirects + 1) + " leads to a refused URL: " + e.getMessage()));
            return;
        }
        hop(next, redirects + 1);
    }

    /** The sink has taken the whole body (its end completed). */
    private void bodyEnded(WheelUrl url, int redirects) {
        if (declared >= 0 && received != declared) {
            fail(FetchProblems.failed("the wheel body ended after " + received + " of " + declared + " bytes"));
        } else if (finish()) {
            emitter.complete(new FetchResult(received, url.value(), address, redirects));
        }
    }

    private static long declaredLength(HttpResponse<Void> head) {
        String value = head.getHeader(HttpHeaders.CONTENT_LENGTH.toString());
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void fail(Throwable failure) {
        if (finish()) {
            resetCurrent();
            emitter.fail(new FetchFailure(failure, address));
        }
    }

    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
        }
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
        return true;
    }

    /**
     * Resets a request whose head was refused. Its response stays paused on the connection without handlers (the web
     * client stops at a refused head), so the reset is expected there rather than reported.
     */
    private void abandonHead() {
        if (current == null) {
            return;
        }
        HttpClientResponse response = current.response().result();
        if (response != null) {
            response.exceptionHandler(expectedBecauseWeResetIt -> {});
        }
        current.reset();
    }

    private void resetCurrent() {
        if (current != null) {
            current.reset();
        }
    }

    /** Cancellation from downstream (the caller went away): stop reading, free the connection. */
    private void abort() {
        if (finish()) {
            resetCurrent();
        }
    }

    private static boolean isConnectFailure(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof io.netty.channel.ConnectTimeoutException;
    }

    private ProblemException classifyConnect(WheelUrl url, Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (failure instanceof io.netty.channel.ConnectTimeoutException) {
            return FetchProblems.timeout("connecting to " + url.host() + " timed out after "
                    + human(limits.connectTimeout().toMillis()));
        }
        if (hasCause(failure, SSLException.class)) {
            return tlsFailure(url);
        }
        return FetchProblems.failed("could not connect to " + url.host() + ":" + url.port());
    }

    /** A failure after the request went out; the sink's own (the size limit, a bug) passes through as it is. */
    private Throwable classifyTransfer(WheelUrl url, Throwable failure) {
        if (failure instanceof ProblemException || failure == sinkFailure) {
            return failure;
        }
        if (hasCause(failure, SSLException.class)) {
            return tlsFailure(url);
        }
        if (isTimeout(failure)) {
            return FetchProblems.timeout("the wheel server sent nothing for "
                    + human(limits.idleTimeout().toMillis()));
        }
        return FetchProblems.failed(
                "the connection to " + url.host() + " failed after " + received + " bytes (reset or closed early)");
    }

    private static boolean isTimeout(Throwable failure) {
        return hasCause(failure, TimeoutException.class)
                || failure.getClass().getSimpleName().contains("Timeout");
    }

    private static ProblemException tlsFailure(WheelUrl url) {
        return FetchProblems.failed(
                "TLS with " + url.host() + " failed: its certificate is not trusted or not valid " + "for that name");
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String human(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** The head asked for another URL: followed by hand, after the guard has checked it. */
    private static final class Redirect extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient String location;

        Redirect(String location) {
            super("redirect to " + location, null, false, false);
            this.location = location;
        }
    }

    /**
     * The sink as the response body's pipe sees it, counting the bytes and keeping the idle clock: a write is
     * activity, and the time between a full write queue and its drain is a pause of ours, not an idle server.
     */
    private final class WatchedBody implements WriteStream<Buffer> {
        private final WriteStream<Buffer> sink;

        WatchedBody(WriteStream<Buffer> sink) {
            this.sink = sink;
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            Future<Void> written = write(data);
            if (handler != null) {
                written.onComplete(handler);
            }
        }

        @Override
        public Future<Void> write(Buffer data) {
            received += data.length();
            lastActivity = System.nanoTime();
            return sink.write(data).onFailure(refused -> sinkFailure = refused);
        }

        @Override
        public boolean writeQueueFull() {
            boolean full = sink.writeQueueFull();
            paused |= full;
            return full;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            sink.drainHandler(
                    handler == null
                            ? null
                            : v -> {
                                paused = false;
                                lastActivity = System.nanoTime();
                                handler.handle(v);
                            });
            return this;
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            Future<Void> ended = end();
            if (handler != null) {
                ended.onComplete(handler);
            }
        }

        @Override
        public Future<Void> end() {
            return sink.end().onFailure(refused -> sinkFailure = refused);
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            sink.exceptionHandler(handler);
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            sink.setWriteQueueMaxSize(maxSize);
            return this;
        }
    }
}
