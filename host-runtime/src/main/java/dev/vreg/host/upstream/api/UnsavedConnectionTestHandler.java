package dev.vreg.host.upstream.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;

import dev.vreg.host.identity.Role;
import dev.vreg.host.upstream.UpstreamOpener;
import dev.vreg.spi.Credentials;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code POST /groups/{group}/upstreams/test}: the connection test of an upstream that is not saved yet, so a
 * configuration can be tried before it is created. The body is checked exactly as for creating one; nothing is
 * stored, and the credentials are used for this one test only.
 */
public final class UnsavedConnectionTestHandler {

    private final Access access;
    private final UpstreamOpener opener;
    private final SettingsCheck settings;
    private final Clock clock;

    public UnsavedConnectionTestHandler(Access access, UpstreamOpener opener, SettingsCheck settings,
                                 Clock clock) {
        this.access = access;
        this.settings = settings;
        this.opener = opener;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("testUpstreamConfiguration", Endpoint.of(this::test));
    }

    private Future<Reply> test(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, UpstreamsHandler.FIELDS);
        // Read without a cipher: nothing is stored, so testing works before security.encryptionKey is set.
        Credentials credentials = CredentialsInput.plain(fields);
        UpstreamsHandler.Input in = UpstreamsHandler.read(fields, true, opener, settings,
                CredentialsInput.ABSENT);
        fields.check();
        return access.group(ctx, Role.MAINTAINER).compose(group -> opener.test("unsaved-test", in.kind(),
                        in.url(), credentials, in.settings() == null ? new JsonObject() : in.settings()))
                .map(report -> Reply.ok(ConnectionTestHandler.status(report, clock.instant())));
    }
}
