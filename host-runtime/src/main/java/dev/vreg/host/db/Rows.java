package dev.vreg.host.db;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Small helpers for reading query results. */
public final class Rows {

    private Rows() {
    }

    /** The first row, or {@code null} when there is none. */
    public static Row first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    /** A timestamp column as an instant, or {@code null}. */
    public static Instant instant(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant();
    }
}
