package dev.vreg.host.stats.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.identity.Role;
import dev.vreg.host.stats.Period;
import dev.vreg.host.stats.StatisticsQueries;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code GET /groups/{group}/statistics/usage.csv} (reader): the group's rows of the {@code vreg_usage_daily} (or,
 * by hour, {@code vreg_usage_hourly}) view as CSV, the same rows a BI tool reads from the database. Written a page
 * of rows at a time, so a long range never sits in memory whole.
 */
public final class UsageExportHandler implements Handler<RoutingContext> {

    static final List<String> COLUMNS = List.of("time", "group_name", "registry", "format", "upstream", "module",
            "file_kind", "requests", "hits", "fetches", "not_found", "errors", "bytes_served", "blocked");
    private static final int PAGE = 2_000;

    private final Pool pool;
    private final Access access;
    private final Clock clock;

    public UsageExportHandler(Pool pool, Access access, Clock clock) {
        this.pool = pool;
        this.access = access;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("exportUsage", this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Future<Void> done;
        try {
            StatisticsQueries.Range range = StatisticsRange.of(ctx, clock);
            done = access.group(ctx, Role.READER).compose(group -> {
                HttpServerResponse response = ctx.response();
                response.setChunked(true)
                        // The API description's contract library knows no text/csv; the file name says what it is.
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .putHeader("Content-Disposition", "attachment; filename=\"vreg-usage-" + group.name() + "-"
                                + range.period().id() + ".csv\"");
                response.write(String.join(",", COLUMNS) + "\r\n");
                return page(response, group.name(), range, 0).compose(v -> response.end());
            });
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        done.onFailure(e -> {
            if (!ctx.response().headWritten()) {
                Endpoint.fail(ctx.response(), e);
            } else {
                ctx.response().reset();
            }
        });
    }

    private Future<Void> page(HttpServerResponse response, String group, StatisticsQueries.Range range, long offset) {
        String view = range.period() == Period.DAY ? "vreg_usage_daily" : "vreg_usage_hourly";
        return pool.preparedQuery("SELECT * FROM " + view + " WHERE group_name = $1 AND time >= $2 AND time < $3"
                        + " ORDER BY time, registry, upstream, module, file_kind LIMIT " + PAGE + " OFFSET $4")
                .execute(Tuple.of(group, OffsetDateTime.ofInstant(range.from(), ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(range.to(), ZoneOffset.UTC), offset))
                .compose(rows -> {
                    Buffer chunk = Buffer.buffer();
                    for (Row row : rows) {
                        for (int i = 0; i < COLUMNS.size(); i++) {
                            Object value = row.getValue(COLUMNS.get(i));
                            chunk.appendString(i == 0 ? "" : ",").appendString(csv(value));
                        }
                        chunk.appendString("\r\n");
                    }
                    Future<Void> written = chunk.length() == 0 ? Future.succeededFuture() : response.write(chunk);
                    return rows.size() < PAGE ? written
                            : written.compose(v -> page(response, group, range, offset + PAGE));
                });
    }

    static String csv(Object value) {
        if (value == null) {
            return "";
        }
        String text = value instanceof OffsetDateTime time ? time.toInstant().toString() : value.toString();
        // Quoted when needed (RFC 4180); a leading formula character is quoted too, so spreadsheets show it as text.
        boolean formula = !text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number);
        if (formula || text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + (formula ? "'" : "") + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
