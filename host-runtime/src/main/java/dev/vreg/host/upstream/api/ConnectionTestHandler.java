package dev.vreg.host.upstream.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /groups/{group}/upstreams/{upstreamId}/test}: asks the upstream's plugin to check
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

    public ConnectionTestHandler(Pool pool, Access access, Clients clients, Optional<CredentialCipher> cipher, Clock clock) {
        this.pool = pool;
        this.access = access;
        this.clients = clients;
        this.cipher = cipher;
        this.clock = clock;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("testUpstream", Endpoint.of(this::test));
    }

    private Future<Reply> test(RoutingContext ctx) {
        long id = UpstreamsHandler.upstreamId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.preparedQuery(
                        "SELECT kind, url, settings, credentials FROM upstreams WHERE group_id = $1 AND id = $2")
                .execute(Tuple.of(group.id(), id))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        return Future.failedFuture(VregException.notFound(
                                "upstream " + id + " does not exist in group " + group.name()));
                    }
                    return run(id, row);
                })
                .compose(status -> pool.preparedQuery("UPDATE upstreams SET status = $2 WHERE id = $1")
                        .execute(Tuple.of(id, status)).map(v -> Reply.ok(status))));
    }

    private Future<JsonObject> run(long id, Row row) {
        Credentials credentials;
        try {
            credentials = row.getBuffer("credentials") == null ? null : cipher.orElseThrow(() ->
                    new IllegalStateException("the credentials cannot be decrypted: no security.encryptionKey is "
                            + "configured")).decrypt(row.getBuffer("credentials").getBytes());
        } catch (RuntimeException e) {
            return Future.succeededFuture(status(new ConnectionReport(false, false, false, -1, e.getMessage())));
        }
        Object settings = row.getValue("settings");
        return check(clients, Long.toString(id), row.getString("kind"), row.getString("url"), credentials,
                settings instanceof JsonObject json ? json : new JsonObject()).map(this::status);
    }

    /**
     * Opens a client for one configuration, saved or not, runs its connection test and closes the client again.
     * Every failure becomes a report, so the caller always has something to show.
     */
    public static Future<ConnectionReport> check(Clients clients, String id, String kind, String url,
                                          Credentials credentials, JsonObject settings) {
        UpstreamClient client;
        try {
            var plugin = clients.plugins().upstreamKind(kind).orElseThrow(() ->
                    new IllegalStateException("no loaded plugin provides upstream kind " + kind));
            client = plugin.open(new UpstreamConfig(id, kind, URI.create(url), credentials, settings,
                    clients.connectTimeout(), clients.readTimeout()), clients.context());
        } catch (RuntimeException e) {
            return Future.succeededFuture(withoutSecrets(
                    new ConnectionReport(false, false, false, -1, e.getMessage()), credentials));
        }
        return client.testConnection()
                .recover(e -> Future.succeededFuture(new ConnectionReport(false, false, false, -1,
                        "the connection test failed: " + e.getMessage())))
                .map(report -> withoutSecrets(report, credentials))
                .onComplete(done -> client.close());
    }

    /** Plugin messages are not ours to trust: a secret quoted in one must not reach the answer. */
    private static ConnectionReport withoutSecrets(ConnectionReport report, Credentials credentials) {
        String message = report.message();
        if (message == null || credentials == null) {
            return report;
        }
        for (String secret : new String[] {credentials.password(), credentials.token()}) {
            if (secret != null && !secret.isEmpty()) {
                message = message.replace(secret, "****");
            }
        }
        return new ConnectionReport(report.reachable(), report.tls(), report.authenticated(), report.latencyMillis(),
                message);
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
