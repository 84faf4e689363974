package dev.vreg.host.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Moves the console log to standard error while a command runs whose standard output is its result ({@code vreg
 * token create} prints the token alone, for scripts to capture), and back when closed. The server logs to standard
 * output; the embedded PostgreSQL and the migrations log there too when a command starts them.
 */
final class LogToStderr implements AutoCloseable {

    private static final String OUT = "System.out";
    private static final String ERR = "System.err";

    private final List<ConsoleAppender<ILoggingEvent>> moved;

    private LogToStderr(List<ConsoleAppender<ILoggingEvent>> moved) {
        this.moved = moved;
    }

    static LogToStderr redirect() {
        List<ConsoleAppender<ILoggingEvent>> moved = new ArrayList<>();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (Logger logger : context.getLoggerList()) {
                for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                    Appender<ILoggingEvent> appender = it.next();
                    if (appender instanceof ConsoleAppender<ILoggingEvent> console && OUT.equals(console.getTarget())) {
                        retarget(console, ERR);
                        moved.add(console);
                    }
                }
            }
        }
        return new LogToStderr(moved);
    }

    private static void retarget(ConsoleAppender<ILoggingEvent> console, String target) {
        console.stop();
        console.setTarget(target);
        console.start();
    }

    @Override
    public void close() {
        moved.forEach(console -> retarget(console, OUT));
    }
}
