package dev.vreg.host.api;

import dev.vreg.host.db.Notify;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Small helpers shared by the admin handlers. */
public final class Sql {

    private Sql() {
    }

    /** Tells every node to reload registries and upstreams; sent inside the changing transaction. */
    public static Future<Void> notifyConfig(SqlConnection conn) {
        return Notify.config(conn);
    }

    /** Tells every node to forget cached tokens and roles; sent inside the changing transaction. */
    public static Future<Void> notifyAuth(SqlConnection conn) {
        return conn.query("NOTIFY vreg_auth").execute().mapEmpty();
    }

    public static Row first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    public static String time(Row row, String column) {
        OffsetDateTime time = row.getOffsetDateTime(column);
        return time == null ? null : time.toInstant().toString();
    }

    /** A time as the API shows it, or {@code null}. */
    public static String time(Instant time) {
        return time == null ? null : time.toString();
    }
}
