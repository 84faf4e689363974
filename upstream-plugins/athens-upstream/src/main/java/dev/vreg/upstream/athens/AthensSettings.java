package dev.vreg.upstream.athens;

import dev.vreg.spi.VregException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The settings of an athens upstream (see {@link AthensUpstreamPlugin#settingsSchema()}).
 *
 * @param asyncRetries how many times a version file Athens answered 404 for is asked again
 * @param asyncDelay   how long to wait before each of those requests
 */
record AthensSettings(int asyncRetries, Duration asyncDelay) {

    static final String RETRIES = "asyncRetries";
    static final String DELAY = "asyncRetryDelayMillis";
    static final int MAX_RETRIES = 20;
    static final int DEFAULT_DELAY_MILLIS = 2000;

    static AthensSettings from(JsonObject settings) {
        for (String name : settings.fieldNames()) {
            if (!name.equals(RETRIES) && !name.equals(DELAY)) {
                throw VregException.invalid("unknown setting '" + name + "' for an athens upstream; the settings "
                        + "are '" + RETRIES + "' and '" + DELAY + "'");
            }
        }
        int retries = integer(settings, RETRIES, 0, 0, MAX_RETRIES);
        int delay = integer(settings, DELAY, DEFAULT_DELAY_MILLIS, 100, 60_000);
        return new AthensSettings(retries, Duration.ofMillis(delay));
    }

    private static int integer(JsonObject settings, String name, int fallback, int min, int max) {
        Object value = settings.getValue(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || n.longValue() < min || n.longValue() > max) {
            throw VregException.invalid("'" + name + "' must be a whole number from " + min + " to " + max);
        }
        return n.intValue();
    }
}
