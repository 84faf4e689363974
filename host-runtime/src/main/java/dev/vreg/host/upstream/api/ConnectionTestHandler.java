package dev.vreg.host.upstream.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.Role;
import dev.vreg.host.upstream.UpstreamOpener;
import dev.vreg.host.upstream.UpstreamStore;
import dev.vreg.spi.ConnectionReport;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /groups/{group}/upstreams/{upstreamId}/test}: asks the upstream's plugin to check
 * reachability, TLS and authentication with the stored configuration, keeps the report as the upstream's status
 * and answers it.
 */
public final class ConnectionTestHandler {

    private final UpstreamStore upstreams;
    private final Access access;
    private final UpstreamOpener opener;
    private final Clock clock;

    public ConnectionTestHandler(UpstreamStore upstreams, Access access, UpstreamOpener opener, Clock clock) {
        this.upstreams = upstreams;
        this.access = access;
        this.opener = opener;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("testUpstream", Endpoint.of(this::test));
    }

    private Future<Reply> test(RoutingContext ctx) {
        long id = UpstreamsHandler.upstreamId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> upstreams.stored(group.id(), group.name(), id))
                .compose(opener::test)
                .map(this::status)
                .compose(status -> upstreams.saveStatus(id, status).map(v -> Reply.ok(status)));
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
