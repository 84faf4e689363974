package dev.vreg.host.stats;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The two resolutions statistics are kept in: hourly rows for the last days, daily rows for longer. */
public enum Period {
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Period(ChronoUnit unit) {
        this.unit = unit;
    }

    /** The start of the bucket {@code at} falls in (UTC). */
    public Instant bucket(Instant at) {
        return at.truncatedTo(unit);
    }

    public Duration length() {
        return unit.getDuration();
    }

    /** The word stored in the {@code period} column and used by the API's {@code interval}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The period named {@code id}, or {@code null}. */
    public static Period of(String id) {
        for (Period period : values()) {
            if (period.id().equals(id)) {
                return period;
            }
        }
        return null;
    }
}
