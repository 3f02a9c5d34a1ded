package dev.providers.registry.storage;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 store's reads: a ranged GET of a presigned URL (the SDK's presigner: its endpoint rules, credentials and
 * signature v4) on a Vert.x HTTP client of the caller's own event loop, whose response body is the blob's
 * {@code Multi}, fetched as the subscriber requests it.
 * <p>
 * Why not the SDK's {@code getObject}: its Netty client runs on event loops of its own and hands its body over as a
 * buffer of at most 8 KiB per HTTP content, each copied on its thread, then moved to ours: a download cost the
 * service 2-3 s of CPU per GiB, mostly waking the two threads up in turn. Here one thread reads the store's socket
 * and writes the client's, the body arrives in pieces of up to {@link #PIECE} bytes, and nothing crosses threads
 * (bench/README.md, "Hosted wheels": the numbers of both ways). Writes, deletes and the readiness check stay on the
 * SDK's client.
 * <p>
 * One HTTP client per event loop: Vert.x creates a client's connections on the loop of the request that opens them
 * and dispatches a reused connection's events to the requesting context, so a shared client would move every piece
 * across threads again whenever a connection opened on another loop is reused.
 * <p>
 * Backpressure: the response is paused and fetched as the subscriber requests; paused, Vert.x stops reading the
 * socket once a few pieces wait, and S3 stops sending. A response that stays silent for {@link #IDLE} (a client that
 * stopped reading holds the store's response too) fails the read. Failures before the first byte (no connection, a
 * connection S3 closed meanwhile, 500/502/503/504) are retried like the SDK does, at most {@link #ATTEMPTS} times;
 * 404 and 416 mean the blob is not there ({@link BlobMissingException}).
 */
final class S3Downloads implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3Downloads.class);

    /**
     * The largest piece of a body: a response write copies a piece into one pooled direct buffer, and Netty keeps
     * buffers up to 32 KiB in its per-thread caches (larger ones, under Quarkus's 64 KiB chunks, are allocated and
     * zeroed anew).
     */
    static final int PIECE = 32 * 1024;

    static final Duration IDLE = Duration.ofSeconds(60);
    static final Duration CONNECT = Duration.ofSeconds(5);
    static final int ATTEMPTS = 3;
    /** Below S3's own idle close of about 20 s, so that a reused connection is seldom one S3 just closed. */
    private static final int KEEP_ALIVE_SECONDS = 15;

    private static final Duration URL_VALIDITY = Duration.ofMinutes(5);
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");

    private final Vertx vertx;
    private final S3Presigner presigner;
    private final String bucket;
    private final Map<Object, HttpClient> clients = new ConcurrentHashMap<>();

    S3Downloads(Vertx vertx, S3Presigner presigner, String bucket) {
        this.vertx = vertx;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** {@code length} bytes of {@code key} from {@code offset}, delivered on {@code context}. */
    Multi<Buffer> read(Context context, String key, long offset, long length) {
        return Multi.createFrom().publisher(new RangedGet(context, key, offset, length));
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        presigner.close();
    }

    private HttpClient client(Context context) {
        return clients.computeIfAbsent(
                ((ContextInternal) context).nettyEventLoop(),
                loop -> vertx.createHttpClient(
                        new HttpClientOptions()
                                .setMaxChunkSize(PIECE)
                                .setKeepAlive(true)
                                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                                .setConnectTimeout((int) CONNECT.toMillis()),
                        new PoolOptions().setHttp1MaxSize(64)));
    }

    private String presign(String key) {
        return presigner
                .presignGetObject(r -> r.signatureDuration(URL_VALIDITY)
                        .getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url()
                .toString();
    }

    /** A failure of the store (not of the blob): answered as the store being unavailable. */
    static final class S3ReadException extends RuntimeException {
        S3ReadException(String message) {
            super(message);
        }

        /** A transport failure (refused, reset, silent for too long), with its cause. */
        S3ReadException(String message, Throwable cause) {
            super(message + ": " + cause, cause);
        }
    }

    /** One read; every signal, and all of its state, on its context. */
    private final class RangedGet implements Flow.Publisher<Buffer>, Flow.Subscription {

        private final Context context;
        private final String key;
        private final long offset;
        private final long length;
        private final AtomicBoolean subscribed = new AtomicBoolean();
        private Flow.Subscriber<? super Buffer> subscriber;
        private HttpClientResponse body;
        private long demand;
        private long delivered;
        private boolean cancelled;
        private boolean finished;

        RangedGet(Context context, String key, long offset, long length) {
            this.context = context;
            this.key = key;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Buffer> s) {
            if (!subscribed.compareAndSet(false, true)) {
                s.onSubscribe(this);
                s.onError(new IllegalStateException("a read has one subscriber"));
                return;
            }
            onContext(() -> {
                subscriber = s;
                s.onSubscribe(this);
                if (!cancelled) {
                    attempt(1);
                }
            });
        }

        @Override
        public void request(long n) {
            onContext(() -> {
                if (finished || cancelled) {
                    return;
                }
                if (n <= 0) {
                    fail(new IllegalArgumentException("request of " + n + " (reactive streams rule 3.9)"));
                } else if (body == null) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                } else {
                    body.fetch(n);
                }
            });
        }

        @Override
        public void cancel() {
            onContext(() -> {
                cancelled = true;
                if (body != null && !finished) {
                    body.request().reset();
                }
                finished = true;
            });
        }

        private void onContext(Runnable task) {
            if (Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(v -> task.run());
            }
        }

        private void attempt(int attempt) {
            String url;
            try {
                url = presign(key);
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            client(context)
                    .request(new RequestOptions()
                            .setMethod(HttpMethod.GET)
                            .setAbsoluteURI(url)
                            .setIdleTimeout(IDLE.toMillis())
                            .putHeader("Range", "bytes=" + offset + "-" + (offset + length - 1)))
                    .compose(request -> request.send())
                    .onComplete(sent -> {
                        if (sent.failed()) {
                            retryOrFail(
                                    attempt, new S3ReadException("no answer from S3 to a GET of " + key, sent.cause()));
                        } else {
                            answered(attempt, sent.result());
                        }
                    });
        }

        private void answered(int attempt, HttpClientResponse response) {
            if (cancelled) {
                response.request().reset();
                return;
            }
            int status = response.statusCode();
            if (status == 206 || (status == 200 && offset == 0 && declaredLength(response) == length)) {
                stream(response);
                return;
            }
            response.body().onComplete(read -> {
                String detail = "S3 answered " + status + errorCode(read.succeeded() ? read.result() : null)
                        + " to a GET of " + key;
                if (status == 404 || status == 416) {
                    fail(new BlobMissingException("no blob " + key + " in bucket " + bucket + " (" + detail + ")"));
                } else if (status == 500 || status == 502 || status == 503 || status == 504) {
                    retryOrFail(attempt, new S3ReadException(detail));
                } else {
                    fail(new S3ReadException(detail));
                }
            });
        }

        private void stream(HttpClientResponse response) {
            response.pause();
            body = response;
            response.handler(piece -> {
                if (finished) {
                    return;
                }
                delivered += piece.length();
                if (delivered > length) {
                    response.request().reset();
                    fail(new S3ReadException("S3 sent more than the " + length + " bytes asked of " + key));
                    return;
                }
                subscriber.onNext(piece);
            });
            response.exceptionHandler(
                    failure -> fail(new S3ReadException("the GET of " + key + " broke off", failure)));
            response.endHandler(v -> {
                if (finished) {
                    return;
                }
                if (delivered == length) {
                    finished = true;
                    subscriber.onComplete();
                } else {
                    fail(new BlobMissingException(
                            "blob " + key + " ended after " + delivered + " of " + length + " bytes"));
                }
            });
            if (demand > 0) {
                response.fetch(demand);
                demand = 0;
            }
        }

        private void retryOrFail(int attempt, Throwable failure) {
            if (finished || cancelled) {
                return;
            }
            if (attempt >= ATTEMPTS) {
                fail(failure);
                return;
            }
            LOG.debugf("GET of %s failed (attempt %d of %d), retrying: %s", key, attempt, ATTEMPTS, failure);
            vertx.setTimer(
                    100L * attempt,
                    id -> onContext(() -> {
                        if (!cancelled) {
                            attempt(attempt + 1);
                        }
                    }));
        }

        private void fail(Throwable failure) {
            if (finished) {
                return;
            }
            finished = true;
            subscriber.onError(failure);
        }
    }

    private static long declaredLength(HttpClientResponse response) {
        try {
            return Long.parseLong(response.getHeader("Content-Length"));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String errorCode(Buffer body) {
        if (body == null) {
            return "";
        }
        Matcher code = ERROR_CODE.matcher(body.toString());
        return code.find() ? " " + code.group(1) : "";
    }
}
