package dev.vreg.host.stats.api;

import dev.vreg.host.http.FieldError;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.stats.Period;
import dev.vreg.host.stats.StatisticsQueries;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The {@code from}, {@code to} and {@code interval} query parameters of the statistics endpoints: instants (ISO
 * 8601, {@code 2026-01-31T00:00:00Z}) or dates ({@code 2026-01-31}, midnight UTC), {@code hour} or {@code day}. By
 * default the last 7 days by day, or the last 24 hours by hour; at most 31 days by hour and 800 days by day.
 */
final class StatisticsRange {

    private static final Duration MAX_HOURLY = Duration.ofDays(31);
    private static final Duration MAX_DAILY = Duration.ofDays(800);

    private StatisticsRange() {
    }

    static StatisticsQueries.Range of(RoutingContext ctx, Clock clock) {
        String intervalText = ctx.queryParams().get("interval");
        Period period = intervalText == null ? Period.DAY : Period.of(intervalText);
        if (period == null) {
            throw InvalidFields.body("interval", "must be hour or day");
        }
        Instant to = instant(ctx, "to");
        if (to == null) {
            to = period.bucket(clock.instant()).plus(period.length());
        }
        Instant from = instant(ctx, "from");
        if (from == null) {
            from = to.minus(period == Period.DAY ? Duration.ofDays(7) : Duration.ofHours(24));
        }
        if (!from.isBefore(to)) {
            throw InvalidFields.body("from", "must be before to");
        }
        Duration max = period == Period.DAY ? MAX_DAILY : MAX_HOURLY;
        if (Duration.between(from, to).compareTo(max) > 0) {
            throw InvalidFields.body("to", "a range by " + period.id() + " covers at most " + max.toDays()
                    + " days");
        }
        // Rows are whole buckets: a range starting inside one includes it.
        return new StatisticsQueries.Range(period, period.bucket(from), to);
    }

    private static Instant instant(RoutingContext ctx, String name) {
        String text = ctx.queryParams().get(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return text.length() == 10 ? java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC)
                    .toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw InvalidFields.body(name, "must be an instant such as 2026-01-31T00:00:00Z or a date such as "
                    + "2026-01-31");
        }
    }
}
