package dev.vreg.host.legacy.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.api.Sql;
import dev.vreg.host.identity.Role;
import dev.vreg.host.legacy.LegacyProjects;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.registry.RegistryView;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /groups/{group}/registries/{registry}/gitlab-projects}: the GitLab projects whose deprecated Go proxy route
 * ({@code /api/v4/projects/:id/packages/go}) this registry answers, and who still calls it.
 */
public final class GitLabProjectsHandler {

    private final LegacyProjects projects;
    private final RegistryStore registries;
    private final Access access;
    private final boolean routeEnabled;

    public GitLabProjectsHandler(LegacyProjects projects, RegistryStore registries, Access access,
                                 boolean routeEnabled) {
        this.projects = projects;
        this.registries = registries;
        this.access = access;
        this.routeEnabled = routeEnabled;
    }

    /** The registry named in the path, which must be a Go registry: only Go registries answer GitLab's route. */
    private Future<RegistryView> goRegistry(RoutingContext ctx, Role role) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, role).compose(group -> registries.get(group.id(), group.name(), name))
                .compose(registry -> "go".equals(registry.format()) ? Future.succeededFuture(registry)
                        : Future.failedFuture(VregException.conflict("registry " + name + " is not a Go registry; "
                                + "only Go registries answer GitLab's Go proxy route")));
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("getGitLabProjects", Endpoint.of(this::get));
        binder.bind("putGitLabProjects", Endpoint.of(this::put));
        binder.bind("listGitLabRouteCallers", Endpoint.of(this::callers));
    }

    private Future<Reply> get(RoutingContext ctx) {
        return goRegistry(ctx, Role.READER).compose(registry -> projects.list(registry.id())
                .map(list -> Reply.ok(body(registry.name(), list))));
    }

    private Future<Reply> put(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "projects");
        List<String> given = fields.strings("projects");
        if (given == null && !fields.has("projects")) {
            fields.error("projects", "is required");
        }
        Set<String> normalized = new LinkedHashSet<>();
        if (given != null) {
            if (given.size() > LegacyProjects.MAX_PER_REGISTRY) {
                fields.error("projects", "may list at most " + LegacyProjects.MAX_PER_REGISTRY + " projects");
            }
            for (int i = 0; i < given.size(); i++) {
                Optional<String> project = LegacyProjects.normalize(given.get(i).trim());
                if (project.isEmpty()) {
                    fields.error("projects[" + i + "]", "must be a GitLab project id (1234) or full path "
                            + "(group/subgroup/project), at most " + LegacyProjects.MAX_LENGTH + " characters");
                } else {
                    normalized.add(project.get());
                }
            }
        }
        fields.check();
        return goRegistry(ctx, Role.MAINTAINER).compose(registry -> projects.replace(registry.id(),
                        new ArrayList<>(normalized))
                .map(list -> Reply.ok(body(registry.name(), list))));
    }

    private Future<Reply> callers(RoutingContext ctx) {
        return goRegistry(ctx, Role.MAINTAINER).compose(registry -> projects.callers(registry.id()))
                .map(list -> {
                    JsonArray array = new JsonArray();
                    list.forEach(c -> array.add(new JsonObject().put("caller", c.caller())
                            .put("requests", c.requests()).put("firstSeenAt", Sql.time(c.firstSeenAt()))
                            .put("lastSeenAt", Sql.time(c.lastSeenAt()))));
                    return Reply.ok(array);
                });
    }

    private JsonObject body(String registry, List<String> list) {
        return new JsonObject().put("registry", registry).put("projects", new JsonArray(list))
                .put("routeEnabled", routeEnabled);
    }
}
