package dev.providers.registry.simple;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.db.BoundedPgPoolCreator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps {@link SimplePageCache} in step with the database, across instances: a connection of its own (outside the
 * pool) LISTENs on {@value #CHANNEL}, where the V7 triggers announce every committed change of a page
 * ({@code prefix/distribution}, or {@code *} for all), and drops those pages. The cache is used only while this
 * connection listens: when it closes, or does not answer the query sent on it every
 * {@code registry.simple.cache.liveness-interval} within that interval, the cache is emptied and bypassed, and a new
 * connection is opened (at once, then at every interval; an attempt without an answer within
 * {@code registry.db.acquire-timeout} is given up); once it listens, the cache starts empty. Everything runs on one
 * Vert.x context.
 */
@ApplicationScoped
public class SimplePageListener {

    static final String CHANNEL = "simple_pages";
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(SimplePageListener.class);

    private final SimplePageCache cache;
    private final BoundedPgPoolCreator pools;
    private final Pool pool;
    private final long interval;
    private final long connectDeadline;
    private Context context;
    private volatile PgConnection connection;
    private long attempt;
    private long attempts;
    private boolean stopped;
    private long timer = -1;
    private boolean warned;

    public SimplePageListener(SimplePageCache cache, BoundedPgPoolCreator pools, Pool pool, RegistryConfig config) {
        this.cache = cache;
        this.pools = pools;
        this.pool = pool;
        this.interval = Math.max(1, config.simple().cache().livenessInterval().toMillis());
        this.connectDeadline = Math.max(interval, config.db().acquireTimeout().toMillis());
    }

    void onStart(@Observes StartupEvent event, Vertx vertx) {
        if (!cache.enabled()) {
            return;
        }
        pool.getDelegate(); // the pool exists (the listener connects where it does), whoever else uses it first
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            connect();
            timer = vertx.setPeriodic(interval, interval, id -> check());
        });
    }

    /** Closes the connection before Vert.x stops (its close needs an event loop), waiting a few seconds at most. */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (context == null) {
            return;
        }
        CountDownLatch closed = new CountDownLatch(1);
        context.runOnContext(v -> {
            stopped = true;
            context.owner().cancelTimer(timer);
            PgConnection closing = connection;
            if (closing == null) {
                closed.countDown();
                return;
            }
            down("shutting down");
            closing.close().onComplete(done -> closed.countDown());
        });
        closed.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Whether the cache is in use (the connection listens). */
    public boolean listening() {
        return cache.listening();
    }

    /** The backend process id of the listening connection, or 0 (for tests that cut it). */
    public int backendPid() {
        PgConnection listening = connection;
        return listening == null ? 0 : listening.processId();
    }

    private void connect() {
        List<PgConnectOptions> servers = pools.servers();
        if (stopped || attempt != 0 || connection != null || servers.isEmpty()) {
            return;
        }
        long current = ++attempts;
        attempt = current;
        PgConnectOptions options = servers.get((int) (current % servers.size()));
        // a server that accepts the connection and never answers: the attempt is given up, the next check retries
        long deadline = context.owner().setTimer(connectDeadline, id -> {
            if (attempt == current) {
                attempt = 0;
                failed(options, "no answer within " + connectDeadline + " ms");
            }
        });
        PgConnection.connect(context.owner(), options)
                .compose(opened -> {
                    opened.notificationHandler(notification -> changed(notification.getPayload()));
                    opened.closeHandler(v -> {
                        if (opened == connection) {
                            down("the listening connection closed");
                            connect();
                        }
                    });
                    return opened.query("LISTEN " + CHANNEL)
                            .execute()
                            .map(done -> opened)
                            .onFailure(failure -> opened.close());
                })
                .onComplete(result -> {
                    context.owner().cancelTimer(deadline);
                    if (attempt != current || stopped) {
                        if (result.succeeded()) {
                            result.result().close(); // given up, or shutting down
                        }
                        return;
                    }
                    attempt = 0;
                    if (result.failed()) {
                        failed(options, result.cause().toString());
                    } else {
                        connection = result.result();
                        warned = false;
                        cache.listening(true);
                        LOG.infof(
                                "Simple index cache in use: listening on %s:%d", options.getHost(), options.getPort());
                    }
                });
    }

    private void failed(PgConnectOptions options, String why) {
        if (!warned) {
            warned = true;
            LOG.warnf(
                    "Simple index cache bypassed: cannot listen on %s:%d (%s); retried every %d ms",
                    options.getHost(), options.getPort(), why, interval);
        }
    }

    /** A query on the listening connection every interval: it must answer within the interval. */
    private void check() {
        PgConnection checked = connection;
        if (checked == null) {
            connect();
            return;
        }
        boolean[] answered = new boolean[1];
        long deadline = context.owner().setTimer(interval, id -> {
            if (!answered[0] && checked == connection) {
                down("the listening connection did not answer within " + interval + " ms");
                checked.close();
                connect();
            }
        });
        checked.query("SELECT 1").execute().onComplete(result -> {
            answered[0] = result.succeeded();
            context.owner().cancelTimer(deadline);
            if (result.failed() && checked == connection) {
                down("the listening connection failed: " + result.cause());
                checked.close();
                connect();
            }
        });
    }

    private void down(String why) {
        connection = null;
        cache.listening(false);
        if (!stopped) {
            LOG.warnf("Simple index cache bypassed: %s", why);
        }
    }

    private void changed(String payload) {
        int slash = payload.indexOf('/');
        if (slash <= 0 || slash == payload.length() - 1) {
            cache.clear(); // '*' (a TRUNCATE), or what no trigger sends: everything
        } else {
            cache.changed(payload.substring(0, slash), payload.substring(slash + 1));
        }
    }
}
