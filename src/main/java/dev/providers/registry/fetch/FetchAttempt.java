package dev.providers.registry.fetch;

import dev.providers.registry.http.LogFields;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.problem.ProblemException;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.MDC;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One fetch, hop by hop; all callbacks run on one Vert.x context, so the state needs no locking. A large body's
 * chunks go to the sink through a {@link HashingStage} (hashed on a pool thread), a small one's inline.
 */
final class FetchAttempt {

    private final Vertx vertx;
    private final Context context;
    private final HttpClient client;
    private final FetchGuard guard;
    private final FetchLimits limits;
    private final Consumer<Buffer> sink;
    private final Executor hashingPool;
    private final LongConsumer declaredLength;
    private final UniEmitter<? super FetchResult> emitter;

    private boolean finished;
    private long deadlineTimer = -1;
    private long idleTimer = -1;
    private long lastActivity;
    private HttpClientRequest current;
    private long received;
    private HashingStage hashing;
    /** The response is paused because the hashing stage is behind; the idle clock stops meanwhile. */
    private boolean paused;

    FetchAttempt(Vertx vertx, Context context, HttpClient client, FetchGuard guard, FetchLimits limits,
            Consumer<Buffer> sink, Executor hashingPool, LongConsumer declaredLength,
            UniEmitter<? super FetchResult> emitter) {
        this.vertx = vertx;
        this.context = context;
        this.client = client;
        this.guard = guard;
        this.limits = limits;
        this.sink = sink;
        this.hashingPool = hashingPool;
        this.declaredLength = declaredLength;
        this.emitter = emitter;
    }

    void start(WheelUrl url) {
        context.runOnContext(v -> {
            deadlineTimer = vertx.setTimer(limits.deadline().toMillis(), id -> fail(FetchProblems.timeout(
                    "the wheel was not fetched within the " + human(limits.deadline().toMillis()) + " deadline")));
            // The client's own idle timeout does not cover a body that stalls after the headers: watch it here.
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
        context.<List<InetAddress>>executeBlocking(() -> guard.admit(url), false).onComplete(admitted -> {
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
        InetAddress address = addresses.get(index);
        MDC.put(LogFields.WHEEL_ADDRESS, address.getHostAddress());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, url.port())))
                .setHost(url.host())
                .setPort(url.port())
                .setSsl(true)
                .setURI(url.pathAndRest())
                .setFollowRedirects(false)
                .setConnectTimeout(limits.connectTimeout().toMillis())
                .setIdleTimeout(limits.idleTimeout().toMillis())
                .putHeader(HttpHeaders.ACCEPT_ENCODING, "identity")
                .putHeader(HttpHeaders.USER_AGENT, "provider-registry");
        client.request(options).onComplete(opened -> {
            if (finished) {
                if (opened.succeeded()) {
                    opened.result().reset();
                }
                return;
            }
            if (opened.failed()) {
                if (index + 1 < addresses.size() && isConnectFailure(opened.cause())) {
                    connect(url, addresses, index + 1, redirects);
                } else {
                    fail(classifyConnect(url, opened.cause()));
                }
                return;
            }
            current = opened.result();
            current.send().onComplete(answered -> {
                if (finished) {
                    return;
                }
                if (answered.failed()) {
                    fail(classifyTransfer(url, answered.cause()));
                } else {
                    onResponse(url, address, redirects, answered.result());
                }
            });
        });
    }

    private void onResponse(WheelUrl url, InetAddress address, int redirects, HttpClientResponse response) {
        lastActivity = System.nanoTime();
        int status = response.statusCode();
        if (status >= 300 && status < 400 && response.getHeader(HttpHeaders.LOCATION) != null) {
            String location = response.getHeader(HttpHeaders.LOCATION);
            response.exceptionHandler(ignoredBecauseWeResetIt -> { });
            current.reset();
            if (redirects + 1 > limits.maxRedirects()) {
                fail(FetchProblems.failed("too many redirects (more than " + limits.maxRedirects() + ")"));
                return;
            }
            WheelUrl next;
            try {
                next = WheelUrl.resolveRedirect(url, location);
            } catch (IllegalArgumentException e) {
                fail(FetchProblems.notAllowed("redirect " + (redirects + 1) + " leads to a refused URL: " + e.getMessage()));
                return;
            }
            hop(next, redirects + 1);
            return;
        }
        response.exceptionHandler(failure -> fail(classifyTransfer(url, failure)));
        if (status < 200 || status >= 300) {
            fail(FetchProblems.failed("the wheel server answered HTTP " + status + " for " + url.value()));
            return;
        }
        String encoding = response.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            fail(FetchProblems.failed("the wheel server sent a content-encoded body; the digest must cover the exact "
                    + "wheel bytes (Content-Encoding must be identity)"));
            return;
        }
        long declared = declaredLength(response);
        if (declared > limits.maxBytes()) {
            fail(FetchProblems.tooLarge("the wheel is " + declared + " bytes; the limit is " + limits.maxBytes()));
            return;
        }
        if (declared >= 0) {
            declaredLength.accept(declared);
        }
        if (declared > limits.offloadHashingAbove()) {
            hashing = new HashingStage(hashingPool, context, sink, () -> resume(response), this::fail);
        }
        response.handler(chunk -> {
            if (finished) {
                return;
            }
            lastActivity = System.nanoTime();
            received += chunk.length();
            if (received > limits.maxBytes()) {
                fail(FetchProblems.tooLarge("the wheel exceeds the " + limits.maxBytes() + "-byte limit"));
                return;
            }
            if (hashing == null) {
                feedInline(chunk);
            } else if (!hashing.offer(chunk)) {
                paused = true;
                response.pause();
            }
        });
        response.endHandler(v -> {
            if (declared >= 0 && received != declared) {
                fail(FetchProblems.failed("the wheel body ended after " + received + " of " + declared + " bytes"));
                return;
            }
            FetchResult result = new FetchResult(received, url.value(), address.getHostAddress(), redirects);
            if (hashing == null) {
                succeed(result);
            } else {
                hashing.afterQueued(() -> succeed(result));
            }
        });
    }

    private void feedInline(Buffer chunk) {
        try {
            sink.accept(chunk);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void resume(HttpClientResponse response) {
        if (paused && !finished) {
            paused = false;
            lastActivity = System.nanoTime();
            response.resume();
        }
    }

    private static long declaredLength(HttpClientResponse response) {
        String value = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void succeed(FetchResult result) {
        if (finish()) {
            emitter.complete(result);
        }
    }

    private void fail(Throwable failure) {
        if (finish()) {
            if (current != null) {
                current.reset();
            }
            emitter.fail(failure);
        }
    }

    private boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        cancelTimers();
        dropQueuedChunks();
        return true;
    }

    private void dropQueuedChunks() {
        if (hashing != null) {
            hashing.cancel();
        }
    }

    private void cancelTimers() {
        if (deadlineTimer >= 0) {
            vertx.cancelTimer(deadlineTimer);
        }
        if (idleTimer >= 0) {
            vertx.cancelTimer(idleTimer);
        }
    }

    /** Cancellation from downstream (the request went away): stop reading, free the connection. */
    private void abort() {
        if (!finished) {
            finished = true;
            cancelTimers();
            dropQueuedChunks();
            if (current != null) {
                current.reset();
            }
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

    private ProblemException classifyTransfer(WheelUrl url, Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem;
        }
        if (hasCause(failure, SSLException.class)) {
            return tlsFailure(url);
        }
        if (hasCause(failure, TimeoutException.class) || failure.getClass().getSimpleName().contains("Timeout")) {
            return FetchProblems.timeout("the wheel server sent nothing for " + human(limits.idleTimeout().toMillis()));
        }
        return FetchProblems.failed("the connection to " + url.host() + " failed after " + received
                + " bytes (reset or closed early)");
    }

    private static ProblemException tlsFailure(WheelUrl url) {
        return FetchProblems.failed("TLS with " + url.host() + " failed: its certificate is not trusted or not valid "
                + "for that name");
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
}
