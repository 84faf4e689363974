package dev.vreg.host.upstream.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiAuthHandler;
import dev.vreg.host.http.InvalidFields;
import dev.vreg.host.identity.Principal;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.upstream.UpstreamView;
import dev.vreg.host.upstream.address.UrlAddressCheck;
import dev.vreg.host.http.FieldError;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.upstream.UpstreamChange;
import dev.vreg.host.upstream.UpstreamOpener;
import dev.vreg.host.upstream.UpstreamStore;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code /groups/{group}/upstreams}: a group's shared upstreams. Two upstreams with the same URL and credentials are
 * refused (409 naming the existing one); deleting one that registries still use needs {@code ?force=true}. A URL
 * whose host resolves only to addresses upstreams may not use (loopback, private, link-local, ...) is refused (422
 * naming {@code url}) unless the instance allows the network or an instance admin sets {@code allowPrivateNetwork},
 * which nobody else may (403).
 */
public final class UpstreamsHandler {

    public static final String[] FIELDS = {"name", "kind", "url", "settings", "moduleHints",
            "metadataValiditySeconds", "contentValiditySeconds", "transferDeadlineSeconds", "minTransferRate",
            "credentials", "allowPrivateNetwork"};

    private final UpstreamStore upstreams;
    private final Access access;
    private final Runnable configChanged;
    private final UpstreamOpener opener;
    private final SettingsCheck settings;
    private final Optional<CredentialCipher> cipher;
    private final UrlAddressCheck addresses;

    public UpstreamsHandler(UpstreamStore upstreams, Access access, UpstreamOpener opener, SettingsCheck settings,
                     Optional<CredentialCipher> cipher, UrlAddressCheck addresses, Runnable configChanged) {
        this.opener = opener;
        this.addresses = addresses;
        this.settings = settings;
        this.cipher = cipher;
        this.configChanged = configChanged;
        this.upstreams = upstreams;
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
                 CredentialsInput credentials, Boolean allowPrivateNetwork) {

        /** What the body sets, under {@code name}. */
        UpstreamChange change(String name) {
            return new UpstreamChange(name, kind, url, settings, hints, metadataValidity, contentValidity,
                    transferDeadline, minTransferRate, credentials.given(), credentials.encrypted(),
                    credentials.digest(), allowPrivateNetwork);
        }

        boolean privateNetworkAllowed() {
            return Boolean.TRUE.equals(allowPrivateNetwork);
        }
    }

    private Input input(RoutingContext ctx, boolean create) {
        Fields fields = Fields.of(ctx, FIELDS);
        Input input = read(fields, create, opener, settings, CredentialsInput.read(fields, cipher));
        fields.check();
        return input;
    }

    /**
     * Checks the fields of an upstream body the way creating ({@code create}) or changing one does, collecting the
     * problems in {@code fields}; {@code credentials} are read by the caller, who decides whether they are stored.
     */
    public static Input read(Fields fields, boolean create, UpstreamOpener opener, SettingsCheck settings,
                      CredentialsInput credentials) {
        String kind = fields.string("kind", create, 64);
        if (kind != null && opener.plugins().upstreamKind(kind).isEmpty()) {
            fields.error("kind", "must be one of the loaded upstream kinds "
                    + new TreeSet<>(opener.plugins().upstreamKinds().keySet()));
        }
        if (!create && fields.has("kind")) {
            fields.error("kind", "cannot be changed; create another upstream");
        }
        Input input = new Input(fields.string("name", false, 200), kind, fields.url("url", create),
                fields.object("settings"), fields.strings("moduleHints"),
                fields.integer("metadataValiditySeconds", 0, 31_536_000, false),
                fields.integer("contentValiditySeconds", 1, 3_153_600_000L, false),
                fields.integer("transferDeadlineSeconds", 1, 604_800, false),
                fields.integer("minTransferRate", 0, 1L << 40, false), credentials,
                fields.bool("allowPrivateNetwork"));
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
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> allowed(ctx, in, in.url(), in.privateNetworkAllowed()).map(group))
                .compose(group -> upstreams.create(group.id(), group.name(), in.change(name)))
                .map(upstream -> Reply.created(UpstreamJson.of(upstream)));
    }

    /**
     * Fails with 403 when anyone but the instance admin sets {@code allowPrivateNetwork}, and with 422 naming
     * {@code url} when the address rule refuses {@code url} ({@code null}: not changed).
     */
    static Future<Void> allowed(RoutingContext ctx, Input in, String url, boolean allowPrivateNetwork,
                                UrlAddressCheck addresses) {
        if (in.privateNetworkAllowed() && !instanceAdmin(ctx)) {
            return Future.failedFuture(VregException.forbidden("only the instance admin, with an admin-scoped "
                    + "token, may set allowPrivateNetwork"));
        }
        if (url == null) {
            return Future.succeededFuture();
        }
        return addresses.check(url, allowPrivateNetwork).compose(verdict -> verdict.refusal() == null
                ? Future.succeededFuture()
                : Future.failedFuture(InvalidFields.body("url", verdict.refusal())));
    }

    private Future<Void> allowed(RoutingContext ctx, Input in, String url, boolean allowPrivateNetwork) {
        return allowed(ctx, in, url, allowPrivateNetwork, addresses);
    }

    /** Whether the caller is the instance admin with an admin-scoped token, who alone may widen where upstreams go. */
    private static boolean instanceAdmin(RoutingContext ctx) {
        Principal caller = ApiAuthHandler.principal(ctx);
        return caller.admin() && caller.hasScope(Scope.ADMIN);
    }

    private Future<Reply> list(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> upstreams.list(group.id()))
                .map(list -> {
                    JsonArray array = new JsonArray();
                    list.forEach(upstream -> array.add(UpstreamJson.of(upstream)));
                    return Reply.ok(array);
                });
    }

    private Future<Reply> get(RoutingContext ctx) {
        long id = upstreamId(ctx);
        return access.group(ctx, Role.READER).compose(group -> upstreams.get(group.id(), group.name(), id))
                .map(upstream -> Reply.ok(UpstreamJson.of(upstream)));
    }

    private Future<Reply> update(RoutingContext ctx) {
        Input in = input(ctx, false);
        long id = upstreamId(ctx);
        boolean admin = instanceAdmin(ctx);
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> addressChecked(ctx, in, group.id(), group.name(), id).map(group))
                .compose(group -> upstreams.update(group.id(), group.name(), id,
                        in.change(in.name()), (kind, url, settings) -> {
                            List<FieldError> problems = new ArrayList<>(this.settings.problems(kind, url, settings));
                            problems.addAll(this.settings.hintProblems(kind, in.hints()));
                            return problems;
                        }, admin))
                .map(upstream -> Reply.ok(UpstreamJson.of(upstream)));
    }

    /**
     * The checks of {@link #allowed} for a change: the URL is checked when it changes or loses
     * {@code allowPrivateNetwork}, with the allowance it will have.
     */
    private Future<Void> addressChecked(RoutingContext ctx, Input in, long groupId, String group, long id) {
        boolean narrowed = Boolean.FALSE.equals(in.allowPrivateNetwork());
        if (in.url() == null && !narrowed) {
            return allowed(ctx, in, null, false);
        }
        return upstreams.get(groupId, group, id).compose((UpstreamView now) -> allowed(ctx, in,
                in.url() != null ? in.url() : now.url(),
                in.allowPrivateNetwork() != null ? in.allowPrivateNetwork() : now.allowPrivateNetwork()));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        long id = upstreamId(ctx);
        boolean force = "true".equals(ctx.queryParams().get("force"));
        return access.group(ctx, Role.MAINTAINER).compose(group -> upstreams.delete(group.id(), group.name(), id,
                        force))
                .map(v -> Reply.noContent());
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
