package dev.providers.registry.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Every log record of the running application while installed (on the root logger), with its MDC as it was. */
public final class CapturedLogs extends Handler implements AutoCloseable {

    public record Line(String logger, String level, String message, Map<String, String> mdc, String thrown) {}

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs() {}

    public static CapturedLogs install() {
        CapturedLogs logs = new CapturedLogs();
        Logger.getLogger("").addHandler(logs);
        return logs;
    }

    @Override
    public void publish(LogRecord record) {
        Map<String, String> mdc = Map.of();
        String message = record.getMessage();
        if (record instanceof ExtLogRecord ext) {
            ext.copyMdc();
            mdc = Map.copyOf(ext.getMdcCopy());
            message = ext.getFormattedMessage();
        }
        String thrown = record.getThrown() == null ? null : String.valueOf(record.getThrown());
        lines.add(new Line(record.getLoggerName(), record.getLevel().getName(), message, mdc, thrown));
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
