package dev.vreg.host.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.vreg.host.vertx.RequestId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects every log line (message and stack trace) written while it is attached, to search them for secrets, for
 * failures that should not have been logged, or for what they carry.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** A line as written: its logger, formatted message and the request id it carried, if any. */
    public record Line(String logger, String message, String requestId) {
    }

    private record Text(Level level, String text) {
    }

    private final List<Text> lines = new CopyOnWriteArrayList<>();
    private final List<Line> events = new CopyOnWriteArrayList<>();

    public static LogCapture attach() {
        LogCapture capture = new LogCapture();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        capture.setContext(root.getLoggerContext());
        capture.start();
        root.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = event.getLoggerName() + " " + event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        lines.add(new Text(event.getLevel(), line));
        events.add(new Line(event.getLoggerName(), event.getFormattedMessage(),
                event.getMDCPropertyMap().get(RequestId.MDC_KEY)));
    }

    public List<Line> events() {
        return List.copyOf(events);
    }

    public List<String> lines() {
        return lines.stream().map(Text::text).toList();
    }

    /** The lines logged at {@code level} or above. */
    public List<String> lines(Level level) {
        return lines.stream().filter(l -> l.level().isGreaterOrEqual(level)).map(Text::text).toList();
    }

    @Override
    public void close() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(this);
        stop();
    }
}
