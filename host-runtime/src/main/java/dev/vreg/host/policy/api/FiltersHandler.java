package dev.vreg.host.policy.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.identity.Role;
import dev.vreg.host.identity.Scope;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.policy.FilterRule;
import dev.vreg.host.policy.FilterSet;
import dev.vreg.host.policy.FilterStore;
import dev.vreg.host.policy.WithdrawnVersions;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.registry.RegistryView;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.Withdrawals;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /groups/{group}/registries/{registry}/filters}: the registry's allow/deny rules, and
 * {@code /groups/{group}/filters}: the group's, applied to every registry of the group before the registry's own
 * ({@link dev.vreg.host.policy.FilterChain}). Readers of the group see them and ask {@code filters/explain} what
 * they decide for a registry; maintainers replace them, every pattern and version condition checked by the format
 * first (a group's by every format installed, as its registries may be of any).
 */
public final class FiltersHandler {

    static final int MAX_RULES = 500;
    private static final int MAX_REASON = 500;
    private static final Set<String> RULE_FIELDS = Set.of("action", "pattern", "versions", "reason");

    private final FilterStore store;
    private final RegistryStore registries;
    private final Access access;
    private final PluginHost plugins;
    private final Runnable configChanged;
    private final WithdrawnVersions withdrawn;

    public FiltersHandler(FilterStore store, RegistryStore registries, Access access, PluginHost plugins,
                          Runnable configChanged) {
        this(store, registries, access, plugins, configChanged, WithdrawnVersions.NONE);
    }

    /** @param withdrawn where the explanation reads withdrawn versions from (Go: the {@code retracted} condition) */
    public FiltersHandler(FilterStore store, RegistryStore registries, Access access, PluginHost plugins,
                          Runnable configChanged, WithdrawnVersions withdrawn) {
        this.withdrawn = withdrawn;
        this.store = store;
        this.registries = registries;
        this.access = access;
        this.plugins = plugins;
        this.configChanged = configChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("getFilters", Endpoint.of(this::get));
        binder.bind("putFilters", Endpoint.changing(this::put, configChanged));
        binder.bind("explainFilters", Endpoint.of(this::explain));
        binder.bind("getGroupFilters", Endpoint.of(this::getGroup));
        binder.bind("putGroupFilters", Endpoint.changing(this::putGroup, configChanged));
    }

    private Future<Reply> getGroup(RoutingContext ctx) {
        return access.group(ctx, Role.READER).compose(group -> store.groupFilters(group.id()))
                .map(filters -> Reply.ok(filters.json()));
    }

    private Future<Reply> putGroup(RoutingContext ctx) {
        Fields.of(ctx, "mode", "rules").check();
        JsonObject body = ctx.body().asJsonObject();
        return access.group(ctx, Role.MAINTAINER).compose(group -> {
            JsonObject rules = body == null ? new JsonObject() : body;
            FilterSet filters = FilterSet.NONE;
            for (FormatPlugin format : plugins.formats().values()) {
                filters = read(rules, format);
            }
            if (plugins.formats().isEmpty()) {
                Fields none = Fields.of(rules, "mode", "rules");
                none.error("rules", "cannot be checked: no format is installed");
                none.check();
            }
            FilterSet saved = filters;
            return store.saveGroup(group.id(), saved).map(v -> Reply.ok(saved.json()));
        });
    }

    private Future<Reply> get(RoutingContext ctx) {
        return registry(ctx, Role.READER).compose(registry -> store.filters(registry.id()))
                .map(filters -> Reply.ok(filters.json()));
    }

    private Future<Reply> put(RoutingContext ctx) {
        Fields.of(ctx, "mode", "rules").check();
        JsonObject body = ctx.body().asJsonObject();
        return registry(ctx, Role.MAINTAINER).compose(registry -> {
            FilterSet filters = read(body == null ? new JsonObject() : body, format(registry));
            return store.save(registry.id(), filters).map(v -> Reply.ok(filters.json()));
        });
    }

    private Future<Reply> explain(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "module", "version");
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.READER, Scope.READ).compose(group -> registries.get(group.id(), group.name(), name)
                .compose(registry -> {
            String module = fields.string("module", true, 1000);
            String version = fields.string("version", false, 200);
            fields.check();
            FormatPlugin format = format(registry);
            return store.chain(registry.id()).compose(filters -> {
                boolean needed = version != null && filters.needsWithdrawals(format, module)
                        && filters.decide(format, module, null).allowed();
                Future<Withdrawals> read = needed
                        ? withdrawn.of(group.name(), registry.name(), format, module)
                        : Future.succeededFuture(Withdrawals.NONE);
                return read.map(withdrawals -> {
                    FilterSet.Verdict verdict = filters.decide(format, module, version, withdrawals);
                    JsonObject answer = verdict.json().put("module", module).put("version", version)
                            .put("mode", filters.mode().id());
                    if (needed) {
                        answer.put("withdrawn", withdrawals.of(version).map(w -> new JsonObject().put("by", w.by())
                                .put("rationale", w.rationale()).put("description", w.description())).orElse(null));
                    }
                    return Reply.ok(answer);
                });
            });
        }));
    }

    private Future<RegistryView> registry(RoutingContext ctx, Role role) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, role).compose(group -> registries.get(group.id(), group.name(), name));
    }

    private FormatPlugin format(RegistryView registry) {
        return plugins.format(registry.format()).orElseThrow();
    }

    /** The rules of a request body, every problem of every rule listed in one refusal. */
    public static FilterSet read(JsonObject body, FormatPlugin format) {
        Fields fields = Fields.of(body, "mode", "rules");
        FilterSet.Mode mode = FilterSet.Mode.DENY_LIST;
        String modeText = fields.string("mode", false, 16);
        if (modeText != null) {
            mode = FilterSet.Mode.of(modeText);
            if (mode == null) {
                fields.error("mode", "must be deny-list or allow-list");
            }
        }
        List<FilterRule> rules = new ArrayList<>();
        Object value = body.getValue("rules");
        if (value != null && !(value instanceof JsonArray)) {
            fields.error("rules", "must be a list of rules");
        } else if (value instanceof JsonArray array) {
            if (array.size() > MAX_RULES) {
                fields.error("rules", "must hold at most " + MAX_RULES + " rules");
            } else {
                for (int i = 0; i < array.size(); i++) {
                    FilterRule rule = rule(fields, "rules[" + i + "]", array.getValue(i), format);
                    if (rule != null) {
                        rules.add(rule);
                    }
                }
            }
        }
        fields.check();
        return new FilterSet(mode, rules);
    }

    private static FilterRule rule(Fields fields, String field, Object value, FormatPlugin format) {
        if (!(value instanceof JsonObject rule)) {
            fields.error(field, "must be an object with action, pattern and optional versions and reason");
            return null;
        }
        boolean ok = true;
        for (String name : rule.fieldNames()) {
            if (!RULE_FIELDS.contains(name)) {
                fields.error(field + "." + name, "is not a known field");
                ok = false;
            }
        }
        FilterRule.Action action = rule.getValue("action") instanceof String a ? FilterRule.Action.of(a) : null;
        if (action == null) {
            fields.error(field + ".action", "must be allow or deny");
            ok = false;
        }
        String pattern = rule.getValue("pattern") instanceof String p ? p : null;
        if (pattern == null || pattern.length() > 1000) {
            fields.error(field + ".pattern", "is required: a module path pattern such as github.com/myorg/*");
            ok = false;
        } else {
            var problem = format.hintProblem(pattern);
            if (problem.isPresent()) {
                fields.error(field + ".pattern", problem.get());
                ok = false;
            }
        }
        Object versionsValue = rule.getValue("versions");
        String versions = null;
        if (versionsValue != null) {
            if (!(versionsValue instanceof String v)) {
                fields.error(field + ".versions", "must be a version condition such as < v1.4.2");
                ok = false;
            } else {
                var problem = format.versionConditionProblem(v);
                if (problem.isPresent()) {
                    fields.error(field + ".versions", problem.get());
                    ok = false;
                }
                versions = v.strip();
            }
        }
        Object reasonValue = rule.getValue("reason");
        if (reasonValue != null && !(reasonValue instanceof String r && !r.isBlank() && r.length() <= MAX_REASON
                && r.chars().noneMatch(Character::isISOControl))) {
            fields.error(field + ".reason", "must be one line of at most " + MAX_REASON + " characters");
            ok = false;
        }
        return ok ? new FilterRule(action, pattern, versions, (String) reasonValue) : null;
    }
}
