package dev.vreg.host.admin;

import dev.vreg.host.auth.CredentialCipher;
import dev.vreg.host.auth.Role;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /groups/{group}/upstreams/{upstreamId}/test-connection}: asks the upstream's plugin to check
 * reachability, TLS and authentication with the stored configuration, keeps the report as the upstream's status
 * and answers it.
 */
public final class ConnectionTestHandler {

    /** What opening a client for a connection test needs from the host. */
    public record Clients(PluginHost plugins, PluginContext context, Duration connectTimeout, Duration readTimeout) {
    }

    private final Pool pool;
    private final Access access;
    private final Clients clients;
    private final Optional<CredentialCipher> cipher;
    private final Clock clock;

    ConnectionTestHandler(Pool pool, Access access, Clients clients, Optional<CredentialCipher> cipher, Clock clock) {
        this.pool = pool;
        this.access = access;
        this.clients = clients;
        this.cipher = cipher;
        this.clock = clock;
    }

    void mount(Router router) {
        router.post("/groups/:group/upstreams/:upstreamId/test-connection").handler(Endpoint.of(this::test));
    }

    private Future<Reply> test(RoutingContext ctx) {
        long id = UpstreamsHandler.upstreamId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.preparedQuery(
                        "SELECT kind, url, settings, credentials FROM upstreams WHERE group_id = $1 AND id = $2")
                .execute(Tuple.of(group.id(), id))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(ApiException.notFound(
                                "upstream " + id + " does not exist in group " + group.name()));
                    }
                    return run(id, row);
                })
                .compose(status -> pool.preparedQuery("UPDATE upstreams SET status = $2 WHERE id = $1")
                        .execute(Tuple.of(id, status)).map(v -> Reply.ok(status))));
    }

    private Future<JsonObject> run(long id, Row row) {
        UpstreamClient client;
        try {
            var plugin = clients.plugins().upstreamKind(row.getString("kind")).orElseThrow(() ->
                    new IllegalStateException("no loaded plugin provides upstream kind " + row.getString("kind")));
            Credentials credentials = null;
            if (row.getBuffer("credentials") != null) {
                credentials = cipher.orElseThrow(() -> new IllegalStateException(
                        "the credentials cannot be decrypted: no security.encryptionKey is configured"))
                        .decrypt(row.getBuffer("credentials").getBytes());
            }
            Object settings = row.getValue("settings");
            client = plugin.open(new UpstreamConfig(Long.toString(id), row.getString("kind"),
                    URI.create(row.getString("url")), credentials,
                    settings instanceof JsonObject json ? json : new JsonObject(),
                    clients.connectTimeout(), clients.readTimeout()), clients.context());
        } catch (RuntimeException e) {
            return Future.succeededFuture(status(new ConnectionReport(false, false, false, -1, e.getMessage())));
        }
        return client.testConnection()
                .recover(e -> Future.succeededFuture(new ConnectionReport(false, false, false, -1,
                        "the connection test failed: " + e.getMessage())))
                .map(this::status)
                .onComplete(done -> client.close());
    }

    private JsonObject status(ConnectionReport report) {
        return new JsonObject().put("state", report.ok() ? "ok" : "failed")
                .put("reachable", report.reachable()).put("tls", report.tls())
                .put("authenticated", report.authenticated()).put("latencyMillis", report.latencyMillis())
                .put("message", report.message()).put("checkedAt", clock.instant().toString());
    }
}
