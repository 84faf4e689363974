package dev.vreg.host.upstream.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.Role;
import dev.vreg.host.upstream.ConnectionTests;
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
 * and answers it. The status kept, which the group's readers see, is the report as group maintainers get it; the
 * instance admin is answered the details of a connection that failed ({@link ConnectionTests}).
 */
public final class ConnectionTestHandler {

    private final UpstreamStore upstreams;
    private final Access access;
    private final ConnectionTests tests;
    private final Clock clock;

    public ConnectionTestHandler(UpstreamStore upstreams, Access access, ConnectionTests tests, Clock clock) {
        this.upstreams = upstreams;
        this.access = access;
        this.tests = tests;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("testUpstream", Endpoint.of(this::test));
    }

    private Future<Reply> test(RoutingContext ctx) {
        long id = UpstreamsHandler.upstreamId(ctx);
        boolean admin = ApiAuthHandler.principal(ctx).admin();
        return access.group(ctx, Role.MAINTAINER).compose(group -> upstreams.stored(group.id(), group.name(), id))
                .compose(tests::stored)
                .compose(outcome -> {
                    Instant now = clock.instant();
                    JsonObject kept = status(outcome.general(), now);
                    return upstreams.saveStatus(id, kept)
                            .map(v -> Reply.ok(admin ? status(outcome.detailed(), now) : kept));
                });
    }

    /** A report as the API shows it, whether kept as an upstream's status or only answered. */
    public static JsonObject status(ConnectionReport report, Instant checkedAt) {
        return new JsonObject().put("state", report.ok() ? "ok" : "failed")
                .put("reachable", report.reachable()).put("tls", report.tls())
                .put("authenticated", report.authenticated()).put("latencyMillis", report.latencyMillis())
                .put("message", report.message()).put("checkedAt", checkedAt.toString());
    }
}
