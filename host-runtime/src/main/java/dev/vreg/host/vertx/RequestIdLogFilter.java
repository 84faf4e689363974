package dev.vreg.host.vertx;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Objects;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the {@link RequestId} of the request being handled into the MDC of the thread that is about to log, or takes
 * it out when no request is. Logback consults turbo filters on the logging thread before it builds the event, and
 * the event reads the MDC on that same thread, so each line carries the id of the request it was written for, on
 * any thread that Vert.x runs the request's callbacks on.
 */
public final class RequestIdLogFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level != null && level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            String id = RequestId.current();
            if (!Objects.equals(id, MDC.get(RequestId.MDC_KEY))) {
                if (id == null) {
                    MDC.remove(RequestId.MDC_KEY);
                } else {
                    MDC.put(RequestId.MDC_KEY, id);
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
