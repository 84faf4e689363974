package dev.vreg.host.upstream.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.identity.Role;
import dev.vreg.host.upstream.StoredUpstream;
import dev.vreg.host.upstream.UpstreamOpener;
import dev.vreg.spi.ConnectionReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /groups/{group}/upstreams/{upstreamId}/test}: asks the upstream's plugin to check
 * reachability, TLS and authentication with the stored configuration, keeps the report as the upstream's status
 * and answers it.
 */
public final class ConnectionTestHandler {

    private final Pool pool;
    private final Access access;
    private final UpstreamOpener opener;
    private final Clock clock;

    public ConnectionTestHandler(Pool pool, Access access, UpstreamOpener opener, Clock clock) {
        this.pool = pool;
        this.access = access;
        this.opener = opener;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("testUpstream", Endpoint.of(this::test));
    }

    private Future<Reply> test(RoutingContext ctx) {
        long id = UpstreamsHandler.upstreamId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.preparedQuery(
                        "SELECT name, kind, url, settings, credentials FROM upstreams WHERE group_id = $1 AND id = $2")
                .execute(Tuple.of(group.id(), id))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.notFound(
                                "upstream " + id + " does not exist in group " + group.name()));
                    }
                    Object settings = row.getValue("settings");
                    return opener.test(new StoredUpstream(id, row.getString("name"), row.getString("kind"),
                            row.getString("url"),
                            row.getBuffer("credentials") == null ? null : row.getBuffer("credentials").getBytes(),
                            settings instanceof JsonObject json ? json : new JsonObject())).map(this::status);
                })
                .compose(status -> pool.preparedQuery("UPDATE upstreams SET status = $2 WHERE id = $1")
                        .execute(Tuple.of(id, status)).map(v -> Reply.ok(status))));
    }

    private JsonObject status(ConnectionReport report) {
        return status(report, clock.instant());
    }

    /** A report as the API shows it, whether kept as an upstream's status or only answered. */
    public static JsonObject status(ConnectionReport report, Instant checkedAt) {
        return new JsonObject().put("state", report.ok() ? "ok" : "failed")
                .put("reachable", report.reachable()).put("tls", report.tls())
                .put("authenticated", report.authenticated()).put("latencyMillis", report.latencyMillis())
                .put("message", report.message()).put("checkedAt", checkedAt.toString());
    }
}
