package dev.providers.registry.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log record of the running application while installed (on the root logger), with its MDC as it was, except
 * what {@link #leftByAStoppedInstance} describes.
 */
public final class CapturedLogs extends Handler implements AutoCloseable {

    public record Line(String logger, String level, String message, Map<String, String> mdc, String thrown) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final List<Line> errors = new CopyOnWriteArrayList<>();

    private CapturedLogs() {}

    public static CapturedLogs install() {
        CapturedLogs logs = new CapturedLogs();
        Logger.getLogger("").addHandler(logs);
        return logs;
    }

    /**
     * A record that the JVM's finalizer thread logs for a Vert.x client of an application instance that an earlier test
     * class stopped: the client became garbage without being closed, its close hook runs on the finalizer and Netty
     * logs an ERROR because that instance's event loop is gone. Only a test JVM, which starts and stops many instances
     * one after another, runs into it; when it does depends on the GC's timing, not on the test that happens to run.
     */
    public static boolean leftByAStoppedInstance(LogRecord record) {
        return record instanceof ExtLogRecord ext
                && "Finalizer".equals(ext.getThreadName())
                && record.getThrown() instanceof RejectedExecutionException;
    }

    @Override
    public void publish(LogRecord record) {
        if (leftByAStoppedInstance(record)) {
            return;
        }
        Map<String, String> mdc = Map.of();
        String message = record.getMessage();
        if (record instanceof ExtLogRecord ext) {
            ext.copyMdc();
            mdc = Map.copyOf(ext.getMdcCopy());
            message = ext.getFormattedMessage();
        }
        String thrown = record.getThrown() == null ? null : String.valueOf(record.getThrown());
        Line line = new Line(record.getLoggerName(), record.getLevel().getName(), message, mdc, thrown);
        lines.add(line);
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(line);
        }
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines logged at ERROR (SEVERE) or above. */
    public List<Line> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
