package dev.vreg.host.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Vert.x blocked-thread warnings. Wired in logback-test.xml; {@link NoBlockedThreadsExtension} turns any
 * warning into a test failure, because a blocked event loop stalls every connection it serves.
 */
public final class BlockedThreadAlarm extends AppenderBase<ILoggingEvent> {

    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN) && event.getFormattedMessage().contains("has been blocked")) {
            WARNINGS.add(event.getFormattedMessage());
        }
    }

    static List<String> drain() {
        List<String> copy = List.copyOf(WARNINGS);
        WARNINGS.clear();
        return copy;
    }
}
