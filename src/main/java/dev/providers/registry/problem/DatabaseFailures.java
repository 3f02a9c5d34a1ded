package dev.providers.registry.problem;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Decides once whether a failure means "the database does not answer" (503) rather than a bug. */
public final class DatabaseFailures {

    private DatabaseFailures() {}

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof ClosedChannelException
                    || t instanceof TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                // 08: connection exceptions; 57P0x: server shutting down; 53300: too many connections.
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
                    return true;
                }
            }
            // The pool's acquire timeout (registry.db.acquire-timeout) fails with a bare "Timeout" throwable.
            if (t instanceof io.vertx.core.impl.NoStackTraceThrowable && "Timeout".equals(t.getMessage())) {
                return true;
            }
            // ... and, reached through the plain pool (the one-statement reads), "Timeout waiting for connection".
            if (t instanceof io.vertx.core.VertxException
                    && t.getMessage() != null
                    && t.getMessage().startsWith("Timeout")) {
                return true;
            }
            String name = t.getClass().getSimpleName();
            if (name.contains("Timeout")
                    || (t.getMessage() != null && t.getMessage().contains("Connection refused"))) {
                return true;
            }
        }
        return false;
    }

    /** A unique constraint refused the row (SQLSTATE 23505): another transaction committed the same key first. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // The reactive client's PgException, or the java.sql.SQLException Hibernate Reactive makes of it.
            if ((t instanceof PgException pg && "23505".equals(pg.getSqlState()))
                    || (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
