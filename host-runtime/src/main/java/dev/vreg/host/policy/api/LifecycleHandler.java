package dev.vreg.host.policy.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.GroupRef;
import dev.vreg.host.api.Reply;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.jobs.JobRunner;
import dev.vreg.host.jobs.JobStore;
import dev.vreg.host.policy.lifecycle.Lifecycle;
import dev.vreg.host.policy.lifecycle.LifecyclePolicy;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.upstream.UpstreamStore;
import dev.vreg.host.upstream.api.UpstreamsHandler;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code .../registries/{registry}/lifecycle} and {@code .../upstreams/{upstreamId}/lifecycle}: the lifecycle policy
 * of a registry or an upstream. Readers see it, its runs and what a run would delete now ({@code dry-run}, a
 * read-scoped token will do); maintainers set, delete and run it.
 */
public final class LifecycleHandler {

    private static final int RUNS_LISTED = 50;

    /** The registry or upstream a request names, and its policy if it has one. */
    private record Target(GroupRef group, Long registryId, Long upstreamId, LifecyclePolicy policy) {

        LifecyclePolicy required() {
            if (policy == null) {
                throw VregException.notFound(registryId != null ? "the registry has no lifecycle policy"
                        : "the upstream has no lifecycle policy");
            }
            return policy;
        }
    }

    private final Lifecycle lifecycle;
    private final RegistryStore registries;
    private final UpstreamStore upstreams;
    private final Access access;
    private final JobRunner jobs;
    private final JobStore jobStore;

    public LifecycleHandler(Lifecycle lifecycle, RegistryStore registries, UpstreamStore upstreams, Access access,
                            JobRunner jobs, JobStore jobStore) {
        this.lifecycle = lifecycle;
        this.registries = registries;
        this.upstreams = upstreams;
        this.access = access;
        this.jobs = jobs;
        this.jobStore = jobStore;
    }

    public void mount(ApiContract.Binder binder) {
        for (String scope : new String[] {"Registry", "Upstream"}) {
            binder.bind("get" + scope + "Lifecycle", Endpoint.of(this::get));
            binder.bind("put" + scope + "Lifecycle", Endpoint.of(this::put));
            binder.bind("delete" + scope + "Lifecycle", Endpoint.of(this::delete));
            binder.bind("dryRun" + scope + "Lifecycle", Endpoint.of(this::dryRun));
            binder.bind("run" + scope + "Lifecycle", Endpoint.of(this::run));
            binder.bind("list" + scope + "LifecycleRuns", Endpoint.of(this::runs));
        }
    }

    private Future<Reply> get(RoutingContext ctx) {
        return target(ctx, Role.READER, Scope.READ).map(t -> Reply.ok(t.required().json()));
    }

    private Future<Reply> put(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "unusedDays", "keepNewest", "everyHours", "enabled");
        Long unusedDays = fields.integer("unusedDays", 1, 36500, true);
        Long keepNewest = fields.integer("keepNewest", 0, 10000, false);
        Long everyHours = fields.integer("everyHours", 1, 8760, false);
        Boolean enabled = fields.bool("enabled");
        fields.check();
        LifecyclePolicy.Settings settings = new LifecyclePolicy.Settings(unusedDays.intValue(),
                keepNewest == null ? 0 : keepNewest.intValue(), everyHours == null ? 24 : everyHours.intValue(),
                enabled == null || enabled);
        return target(ctx, Role.MAINTAINER, Scope.WRITE)
                .compose(t -> lifecycle.store().save(t.group().id(), t.registryId(), t.upstreamId(), settings))
                .map(saved -> Reply.ok(saved.json()));
    }

    private Future<Reply> delete(RoutingContext ctx) {
        return target(ctx, Role.MAINTAINER, Scope.WRITE).compose(t -> {
            LifecyclePolicy policy = t.required();
            return lifecycle.store().delete(policy.id()).compose(v -> jobStore.forget(policy.job()))
                    .map(Reply.noContent());
        });
    }

    private Future<Reply> dryRun(RoutingContext ctx) {
        return target(ctx, Role.READER, Scope.READ).compose(t -> lifecycle.dryRun(t.required())).map(plan -> {
            JsonArray entries = new JsonArray();
            plan.listed().forEach(e -> entries.add(new JsonObject().put("id", e.id()).put("upstreamId", e.upstreamId())
                    .put("path", e.path()).put("module", e.name()).put("version", e.version()).put("size", e.size())
                    .put("lastUsedAt", e.lastUsedAt().toString())));
            return Reply.ok(new JsonObject().put("cutOff", plan.cutOff().toString()).put("count", plan.entries())
                    .put("bytes", plan.bytes()).put("reclaimableBytes", plan.freedBytes())
                    .put("truncated", plan.truncated()).put("entries", entries));
        });
    }

    private Future<Reply> run(RoutingContext ctx) {
        return target(ctx, Role.MAINTAINER, Scope.WRITE).compose(t -> jobs.runNow(t.required().job()))
                .map(started -> new Reply(202, started.json().put("job", started.name())));
    }

    private Future<Reply> runs(RoutingContext ctx) {
        return target(ctx, Role.READER, Scope.READ).compose(t -> lifecycle.store().runs(t.required().id(), RUNS_LISTED))
                .map(runs -> {
                    JsonArray list = new JsonArray();
                    runs.forEach(run -> list.add(run.json()));
                    return Reply.ok(new JsonObject().put("runs", list));
                });
    }

    private Future<Target> target(RoutingContext ctx, Role role, Scope scope) {
        String registry = ctx.pathParam("registry");
        return access.group(ctx, role, scope).compose(group -> {
            Future<Target> found;
            if (registry != null) {
                found = registries.get(group.id(), group.name(), registry)
                        .map(r -> new Target(group, r.id(), null, null));
            } else {
                found = upstreams.get(group.id(), group.name(), UpstreamsHandler.upstreamId(ctx))
                        .map(u -> new Target(group, null, u.id(), null));
            }
            return found.compose(t -> lifecycle.store().find(t.registryId(), t.upstreamId())
                    .map(policy -> new Target(t.group(), t.registryId(), t.upstreamId(), policy)));
        });
    }
}
