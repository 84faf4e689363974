package dev.vreg.goproxy.client;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * An upstream's {@code Retry-After} (RFC 9110 §10.2.3): a number of seconds, or an HTTP date. A hint longer than a
 * day is cut to a day, a date in the past means now, and a value that is neither form is no hint at all.
 */
final class RetryAfter {

    static final Duration MAX = Duration.ofDays(1);

    private RetryAfter() {
    }

    /** The delay {@code value} asks for, or null when it asks for none that can be read. */
    static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // More digits than a long holds is still "a long time".
            return text.length() > 9 ? MAX : min(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return until.isNegative() ? Duration.ZERO : min(until);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration min(Duration delay) {
        return delay.compareTo(MAX) > 0 ? MAX : delay;
    }
}
