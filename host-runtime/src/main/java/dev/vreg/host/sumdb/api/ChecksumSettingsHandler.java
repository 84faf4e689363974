package dev.vreg.host.sumdb.api;

import dev.vreg.host.api.Access;
import dev.vreg.host.api.ApiContract;
import dev.vreg.host.api.Endpoint;
import dev.vreg.host.api.Fields;
import dev.vreg.host.api.Reply;
import dev.vreg.host.identity.Role;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.registry.RegistryStore;
import dev.vreg.host.registry.RegistryView;
import dev.vreg.host.sumdb.ChecksumDb;
import dev.vreg.host.sumdb.ChecksumSettings;
import dev.vreg.host.sumdb.ChecksumStore;
import dev.vreg.host.sumdb.Verification;
import dev.vreg.spi.ChecksumVerifier;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /groups/{group}/registries/{registry}/checksum-database}: which checksum databases a registry proxies, how
 * it verifies files against the first one, which module paths are private, and how long changing answers are reused.
 * Readers of the group see the settings; maintainers replace them (fields left out take their defaults).
 */
public final class ChecksumSettingsHandler {

    private static final int MAX_DATABASES = 8;
    private static final int MAX_PATTERNS = 100;
    private static final long MAX_VALIDITY = 86_400;

    private final ChecksumStore store;
    private final RegistryStore registries;
    private final Access access;
    private final PluginHost plugins;
    private final Runnable configChanged;

    public ChecksumSettingsHandler(ChecksumStore store, RegistryStore registries, Access access, PluginHost plugins,
                                   Runnable configChanged) {
        this.store = store;
        this.registries = registries;
        this.access = access;
        this.plugins = plugins;
        this.configChanged = configChanged;
    }

    public void mount(ApiContract.Binder binder) {
        binder.bind("getChecksumSettings", Endpoint.of(this::get));
        binder.bind("putChecksumSettings", Endpoint.changing(this::put, configChanged));
    }

    private Future<Reply> get(RoutingContext ctx) {
        String name = ctx.pathParam("registry");
        return access.group(ctx, Role.READER)
                .compose(group -> registries.get(group.id(), group.name(), name))
                .compose(registry -> verifier(registry).compose(v -> store.settings(registry.id())))
                .map(found -> Reply.ok(found.orElse(ChecksumSettings.DEFAULT).json()));
    }

    private Future<Reply> put(RoutingContext ctx) {
        Fields fields = Fields.of(ctx, "verification", "databases", "privatePatterns", "answerValiditySeconds");
        String name = ctx.pathParam("registry");
        JsonObject body = ctx.body().asJsonObject();
        return access.group(ctx, Role.MAINTAINER)
                .compose(group -> registries.get(group.id(), group.name(), name))
                .compose(registry -> verifier(registry).compose(verifier -> {
                    FormatPlugin format = plugins.format(registry.format()).orElseThrow();
                    ChecksumSettings settings = read(fields, body == null ? new JsonObject() : body, format, verifier);
                    return store.saveSettings(registry.id(), settings).map(v -> Reply.ok(settings.json()));
                }));
    }

    private Future<ChecksumVerifier> verifier(RegistryView registry) {
        return plugins.format(registry.format()).flatMap(FormatPlugin::checksumVerifier)
                .map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(VregException.notFound("registries of format "
                        + registry.format() + " have no checksum database")));
    }

    private static ChecksumSettings read(Fields fields, JsonObject body, FormatPlugin format,
                                         ChecksumVerifier verifier) {
        ChecksumSettings defaults = ChecksumSettings.DEFAULT;
        Verification verification = defaults.verification();
        String mode = fields.string("verification", false, 16);
        if (mode != null) {
            verification = Verification.of(mode);
            if (verification == null) {
                fields.error("verification", "must be off, warn or enforce");
            }
        }
        List<ChecksumDb> databases = defaults.databases();
        if (fields.has("databases")) {
            databases = databases(fields, body.getValue("databases"), verifier);
        }
        List<String> patterns = fields.strings("privatePatterns");
        if (patterns == null) {
            patterns = defaults.privatePatterns();
        } else if (patterns.size() > MAX_PATTERNS) {
            fields.error("privatePatterns", "must hold at most " + MAX_PATTERNS + " patterns");
        } else {
            patterns.forEach(p -> format.hintProblem(p).ifPresent(problem -> fields.error("privatePatterns",
                    problem)));
        }
        Long validity = fields.integer("answerValiditySeconds", 0, MAX_VALIDITY, false);
        fields.check();
        return new ChecksumSettings(verification, databases, patterns,
                validity == null ? defaults.answerValidity() : Duration.ofSeconds(validity));
    }

    private static List<ChecksumDb> databases(Fields fields, Object value, ChecksumVerifier verifier) {
        if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_DATABASES) {
            fields.error("databases", "must be a list of 1 to " + MAX_DATABASES + " databases");
            return List.of();
        }
        List<ChecksumDb> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String field = "databases[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject db)) {
                fields.error(field, "must be an object with a key and an optional url");
                continue;
            }
            if (!db.fieldNames().stream().allMatch(f -> f.equals("key") || f.equals("url"))) {
                fields.error(field, "may only have the fields key and url");
                continue;
            }
            if (!(db.getValue("key") instanceof String key) || key.isBlank()) {
                fields.error(field + ".key", "is required: the database's verifier key, <name>+<hash>+<key>");
                continue;
            }
            var problem = verifier.keyProblem(key);
            if (problem.isPresent()) {
                fields.error(field + ".key", problem.get());
                continue;
            }
            String name = verifier.databaseOf(key);
            if (!names.add(name)) {
                fields.error(field + ".key", "names database " + name + " a second time");
                continue;
            }
            Object url = db.getValue("url");
            if (url != null && !(url instanceof String u && validUrl(u))) {
                fields.error(field + ".url", "must be an absolute http:// or https:// URL without user information, "
                        + "query or fragment");
                continue;
            }
            out.add(new ChecksumDb(name, key, url == null ? null : ((String) url).replaceAll("/+$", "")));
        }
        return out;
    }

    private static boolean validUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && value.length() <= 2048;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
