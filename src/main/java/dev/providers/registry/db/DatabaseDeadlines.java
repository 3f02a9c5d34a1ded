package dev.providers.registry.db;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The deadline of a unit of database work. */
public final class DatabaseDeadlines {

    private DatabaseDeadlines() {}

    /**
     * {@code work}, failing with a {@link DatabaseTimeoutException} when it has not answered within
     * {@code deadline}.
     * <p>
     * The work is <em>detached</em> rather than cancelled when the deadline passes: Hibernate Reactive closes its
     * session (and returns the connection to the pool) when the work ends with an item or a failure, not when it
     * is cancelled, so cancelling would leak the pooled connection of every timed-out request. Detached, the work
     * ends by itself: with its result once the database answers again, or with a failure once its connection is
     * closed; either way the session is closed and the connection returned.
     */
    public static <T> Uni<T> bound(Uni<T> work, Duration deadline, String operation) {
        return Uni.createFrom().deferred(() -> {
            // The timeout fires on a Mutiny timer thread; the caller continues on its own Vert.x context.
            Context context = Vertx.currentContext();
            return Uni.createFrom()
                    .<T>emitter(emitter -> work.subscribe().with(emitter::complete, emitter::fail))
                    .ifNoItem()
                    .after(deadline)
                    .failWith(() -> new DatabaseTimeoutException(
                            operation + ": the database did not answer within " + deadline.toMillis() + " ms"))
                    .onFailure(DatabaseTimeoutException.class)
                    .recoverWithUni(timeout -> context == null
                            ? Uni.createFrom().failure(timeout)
                            : Uni.createFrom().<T>emitter(e -> context.runOnContext(v -> e.fail(timeout))));
        });
    }

    /** A database operation that did not finish within its deadline (never a fetch timeout). */
    public static final class DatabaseTimeoutException extends TimeoutException {
        public DatabaseTimeoutException(String message) {
            super(message);
        }
    }
}
