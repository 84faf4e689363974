package dev.vreg.host.upstream.api;

import dev.vreg.spi.VregException;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.http.FieldError;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.GroupRef;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;
import dev.vreg.host.registry.api.LinksHandler;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code /groups/{group}/upstreams}: a group's shared upstreams. Two upstreams with the same URL and credentials are
 * refused (409 naming the existing one); deleting one that registries still use needs {@code ?force=true}.
 */
public final class UpstreamsHandler {

    public static final String[] FIELDS = {"name", "kind", "url", "settings", "moduleHints",
            "metadataValiditySeconds", "contentValiditySeconds", "transferDeadlineSeconds", "minTransferRate",
            "credentials"};

    private final Pool pool;
    private final Access access;
    private final Runnable configChanged;
    private final ConnectionTestHandler.Clients clients;
    private final SettingsCheck settings;
    private final Optional<CredentialCipher> cipher;

    public UpstreamsHandler(Pool pool, Access access, ConnectionTestHandler.Clients clients, SettingsCheck settings,
                     Optional<CredentialCipher> cipher, Runnable configChanged) {
        this.clients = clients;
        this.settings = settings;
        this.cipher = cipher;
        this.configChanged = configChanged;
        this.pool = pool;
        this.access = access;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("createUpstream", Endpoint.changing(this::create, configChanged));
        binder.bind("listUpstreams", Endpoint.of(this::list));
        binder.bind("getUpstream", Endpoint.of(this::get));
        binder.bind("updateUpstream", Endpoint.changing(this::update, configChanged));
        binder.bind("deleteUpstream", Endpoint.changing(this::delete, configChanged));
    }

    /** An upstream body as read by {@link #read}. */
    public record Input(String name, String kind, String url, JsonObject settings, List<String> hints,
                 Long metadataValidity, Long contentValidity, Long transferDeadline, Long minTransferRate,
                 CredentialsInput credentials) {
    }

    private Input input(RoutingContext ctx, boolean create) {
        Fields fields = Fields.of(ctx, FIELDS);
        Input input = read(fields, create, clients, settings, CredentialsInput.read(fields, cipher));
        fields.check();
        return input;
    }

    /**
     * Checks the fields of an upstream body the way creating ({@code create}) or changing one does, collecting the
     * problems in {@code fields}; {@code credentials} are read by the caller, who decides whether they are stored.
     */
    public static Input read(Fields fields, boolean create, ConnectionTestHandler.Clients clients, SettingsCheck settings,
                      CredentialsInput credentials) {
        String kind = fields.string("kind", create, 64);
        if (kind != null && clients.plugins().upstreamKind(kind).isEmpty()) {
            fields.error("kind", "must be one of the loaded upstream kinds "
                    + new TreeSet<>(clients.plugins().upstreamKinds().keySet()));
        }
        if (!create && fields.has("kind")) {
            fields.error("kind", "cannot be changed; create another upstream");
        }
        Input input = new Input(fields.string("name", false, 200), kind, fields.url("url", create),
                fields.object("settings"), fields.strings("moduleHints"),
                fields.integer("metadataValiditySeconds", 0, 31_536_000, false),
                fields.integer("contentValiditySeconds", 1, 3_153_600_000L, false),
                fields.integer("transferDeadlineSeconds", 1, 604_800, false),
                fields.integer("minTransferRate", 0, 1L << 40, false), credentials);
        if (create && input.kind() != null && input.url() != null) {
            settings.problems(input.kind(), input.url(), input.settings())
                    .forEach(problem -> fields.error(problem.field(), problem.message()));
        }
        if (create && input.kind() != null) {
            settings.hintProblems(input.kind(), input.hints())
                    .forEach(problem -> fields.error(problem.field(), problem.message()));
        }
        return input;
    }

    private Future<Reply> create(RoutingContext ctx) {
        Input in = input(ctx, true);
        String name = in.name() != null ? in.name() : in.url().replaceFirst("^https?://", "");
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn ->
                duplicateGuard(conn, group.id(), in.url(), in.credentials().digest(), -1)
                        .compose(v -> conn.preparedQuery("""
                                        INSERT INTO upstreams (group_id, name, kind, url, settings, module_hints,
                                                               metadata_validity_s, content_validity_s, credentials,
                                                               credentials_digest, transfer_deadline_s,
                                                               min_transfer_rate)
                                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id""")
                                .execute(Tuple.from(new Object[] {group.id(), name, in.kind(), in.url(),
                                        in.settings() == null ? new JsonObject() : in.settings(),
                                        (in.hints() == null ? List.<String>of() : in.hints()).toArray(String[]::new),
                                        in.metadataValidity(), in.contentValidity(), buffer(in.credentials()),
                                        in.credentials().digest(), in.transferDeadline(), in.minTransferRate()})))
                        .compose(rows -> fetch(conn, group, Sql.first(rows).getLong("id")))
                        .compose(json -> Sql.notifyConfig(conn).map(v -> Reply.created(json)))));
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> pool.preparedQuery(
                        "SELECT " + UpstreamJson.COLUMNS + " FROM upstreams u WHERE u.group_id = $1 ORDER BY u.id")
                .execute(Tuple.of(group.id()))
                .map(rows -> {
                    JsonArray list = new JsonArray();
                    rows.forEach(row -> list.add(UpstreamJson.of(row)));
                    return Reply.ok(list);
                }));
    }

    private Future<Reply> get(RoutingContext ctx) {
        long id = upstreamId(ctx);
        return access.group(ctx, Role.READER).compose(group -> pool.withConnection(conn -> fetch(conn, group, id)))
                .map(Reply::ok);
    }

    private Future<Reply> update(RoutingContext ctx) {
        Input in = input(ctx, false);
        long id = upstreamId(ctx);
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn ->
                fetch(conn, group, id)
                        .compose(v -> conn.preparedQuery(
                                        "SELECT kind, url, settings, credentials_digest FROM upstreams WHERE id = $1")
                                .execute(Tuple.of(id)))
                        .compose(rows -> {
                            Row now = Sql.first(rows);
                            List<FieldError> problems = new ArrayList<>(settings.problems(
                                    now.getString("kind"), in.url() != null ? in.url() : now.getString("url"),
                                    in.settings() != null ? in.settings() : (JsonObject) now.getValue("settings")));
                            problems.addAll(settings.hintProblems(now.getString("kind"), in.hints()));
                            if (!problems.isEmpty()) {
                                return Future.failedFuture(InvalidFields.body(problems));
                            }
                            if (in.url() == null && !in.credentials().given()) {
                                return Future.<Void>succeededFuture();
                            }
                            return duplicateGuard(conn, group.id(), in.url() != null ? in.url() : now.getString("url"),
                                    in.credentials().given() ? in.credentials().digest()
                                            : now.getString("credentials_digest"), id);
                        })
                        // updated_at moves so every node replaces its open client for this upstream.
                        .compose(v -> conn.preparedQuery("""
                                        UPDATE upstreams SET name = COALESCE($2, name), url = COALESCE($3, url),
                                               settings = COALESCE($4, settings),
                                               module_hints = COALESCE($5, module_hints),
                                               metadata_validity_s = COALESCE($6, metadata_validity_s),
                                               content_validity_s = COALESCE($7, content_validity_s),
                                               credentials = CASE WHEN $8 THEN $9 ELSE credentials END,
                                               credentials_digest = CASE WHEN $8 THEN $10 ELSE credentials_digest END,
                                               transfer_deadline_s = COALESCE($11, transfer_deadline_s),
                                               min_transfer_rate = COALESCE($12, min_transfer_rate),
                                               updated_at = now()
                                         WHERE id = $1""")
                                .execute(Tuple.from(new Object[] {id, in.name(), in.url(), in.settings(),
                                        in.hints() == null ? null : in.hints().toArray(String[]::new),
                                        in.metadataValidity(), in.contentValidity(), in.credentials().given(),
                                        buffer(in.credentials()), in.credentials().digest(), in.transferDeadline(),
                                        in.minTransferRate()})))
                        .compose(v -> fetch(conn, group, id))
                        .compose(json -> Sql.notifyConfig(conn).map(v -> Reply.ok(json)))));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        long id = upstreamId(ctx);
        boolean force = "true".equals(ctx.queryParams().get("force"));
        return access.group(ctx, Role.MAINTAINER).compose(group -> pool.withTransaction(conn ->
                fetch(conn, group, id)
                        .compose(json -> {
                            JsonArray usedBy = json.getJsonArray("usedBy");
                            if (!usedBy.isEmpty() && !force) {
                                return Future.failedFuture(VregException.conflict("upstream " + id + " is used by "
                                        + "registries " + usedBy.stream().map(u -> ((JsonObject) u).getString("registry"))
                                        .toList() + "; unlink it first or delete with ?force=true"));
                            }
                            return LinksHandler.unlinkEverywhere(conn, id);
                        })
                        .compose(v -> conn.preparedQuery("DELETE FROM upstreams WHERE id = $1").execute(Tuple.of(id)))
                        .compose(v -> Sql.notifyConfig(conn))
                        .map(v -> Reply.noContent())));
    }

    /** The same URL with the same credentials twice in a group would split one source's cache in two. */
    private static Future<Void> duplicateGuard(SqlConnection conn, long groupId, String url, String digest,
                                               long exceptId) {
        return conn.preparedQuery("""
                        SELECT id, name FROM upstreams
                         WHERE group_id = $1 AND url = $2 AND credentials_digest = $3 AND id <> $4""")
                .execute(Tuple.of(groupId, url, digest, exceptId))
                .compose(rows -> {
                    Row row = Sql.first(rows);
                    return row == null ? Future.succeededFuture() : Future.failedFuture(VregException.conflict(
                            "upstream " + row.getLong("id") + " ('" + row.getString("name")
                                    + "') already has this URL and credentials"));
                });
    }

    private static Buffer buffer(CredentialsInput credentials) {
        return credentials.encrypted() == null ? null : Buffer.buffer(credentials.encrypted());
    }

    public static Future<JsonObject> fetch(SqlConnection conn, GroupRef group, long id) {
        return conn.preparedQuery("SELECT " + UpstreamJson.COLUMNS + " FROM upstreams u WHERE u.group_id = $1 AND u.id = $2")
                .execute(Tuple.of(group.id(), id))
                .map(rows -> {
                    Row row = Sql.first(rows);
                    if (row == null) {
                        throw VregException.notFound("upstream " + id + " does not exist in group " + group.name());
                    }
                    return UpstreamJson.of(row);
                });
    }

    public static long upstreamId(RoutingContext ctx) {
        String text = ctx.pathParam("upstreamId");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw VregException.notFound("upstream " + text + " does not exist");
        }
    }
}
