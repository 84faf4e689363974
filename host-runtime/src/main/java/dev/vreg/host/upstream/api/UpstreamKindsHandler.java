package dev.vreg.host.upstream.api;

import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.upstream.UpstreamOpener;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;

/**
 * {@code /upstream-kinds}: the upstream kinds the loaded plugins provide, with the formats each serves and the JSON
 * Schema of its {@code settings}, so a console can build the form and a script can check before it sends.
 */
public final class UpstreamKindsHandler {

    private final UpstreamOpener opener;
    private final SettingsCheck settings;

    public UpstreamKindsHandler(UpstreamOpener opener, SettingsCheck settings) {
        this.opener = opener;
        this.settings = settings;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("listUpstreamKinds", Endpoint.of(this::list));
    }

    private Future<Reply> list(RoutingContext ctx) {
        JsonArray kinds = new JsonArray();
        opener.plugins().upstreamKinds().values().stream()
                .sorted(Comparator.comparing(plugin -> plugin.kind()))
                .forEach(plugin -> kinds.add(settings.describe(plugin)));
        return Future.succeededFuture(Reply.ok(kinds));
    }
}
