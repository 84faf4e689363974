package dev.vreg.host.upstream.api;

import dev.vreg.spi.VregException;

import dev.vreg.host.api.Access;
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
 * refused (409 naming the existing one); deleting one that registries still use needs {@code ?force=true}.
 */
public final class UpstreamsHandler {

    public static final String[] FIELDS = {"name", "kind", "url", "settings", "moduleHints",
            "metadataValiditySeconds", "contentValiditySeconds", "credentials"};

    private final UpstreamStore upstreams;
    private final Access access;
    private final Runnable configChanged;
    private final UpstreamOpener opener;
    private final SettingsCheck settings;
    private final Optional<CredentialCipher> cipher;

    public UpstreamsHandler(UpstreamStore upstreams, Access access, UpstreamOpener opener, SettingsCheck settings,
                     Optional<CredentialCipher> cipher, Runnable configChanged) {
        this.opener = opener;
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
                 Long metadataValidity, Long contentValidity, CredentialsInput credentials) {

        /** What the body sets, under {@code name}. */
        UpstreamChange change(String name) {
            return new UpstreamChange(name, kind, url, settings, hints, metadataValidity, contentValidity,
                    credentials.given(), credentials.encrypted(), credentials.digest());
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
                fields.integer("contentValiditySeconds", 1, 3_153_600_000L, false), credentials);
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
        return access.group(ctx, Role.MAINTAINER).compose(group -> upstreams.create(group.id(), group.name(),
                        in.change(name)))
                .map(upstream -> Reply.created(UpstreamJson.of(upstream)));
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
        return access.group(ctx, Role.MAINTAINER).compose(group -> upstreams.update(group.id(), group.name(), id,
                        in.change(in.name()), (kind, url, settings) -> {
                            List<FieldError> problems = new ArrayList<>(this.settings.problems(kind, url, settings));
                            problems.addAll(this.settings.hintProblems(kind, in.hints()));
                            return problems;
                        }))
                .map(upstream -> Reply.ok(UpstreamJson.of(upstream)));
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
