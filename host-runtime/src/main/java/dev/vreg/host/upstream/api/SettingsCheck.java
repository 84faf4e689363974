package dev.vreg.host.upstream.api;

import dev.vreg.host.http.FieldError;

import dev.vreg.host.api.SchemaErrors;
import dev.vreg.host.upstream.UpstreamOpener;

import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.UpstreamPlugin;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an upstream's {@code settings} for its kind: first against the JSON Schema (draft 2020-12) the plugin
 * declares, naming each invalid setting, then by asking the plugin to open a client for the configuration (opening
 * does no I/O), for what a schema cannot say. Schemas are compiled once per kind. Module hints are checked by the
 * formats the kind serves, which alone know what a hint means.
 */
public final class SettingsCheck {

    private record Compiled(JsonObject schema, Validator validator) {
    }

    private final UpstreamOpener opener;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    public SettingsCheck(UpstreamOpener opener) {
        this.opener = opener;
    }

    /** The kinds loaded, each with the formats it serves and its settings schema, for clients that build forms. */
    public JsonObject describe(UpstreamPlugin plugin) {
        return new JsonObject().put("kind", plugin.kind())
                .put("formats", plugin.formats().stream().sorted().toList())
                .put("settingsSchema", compiled(plugin).schema());
    }

    /** What is wrong with {@code settings} for {@code kind}, field by field; empty when nothing is. */
    public List<FieldError> problems(String kind, String url, JsonObject settings) {
        var plugin = opener.plugins().upstreamKind(kind);
        if (plugin.isEmpty()) {
            return List.of();
        }
        JsonObject value = settings == null ? new JsonObject() : settings;
        Compiled schema = compiled(plugin.get());
        OutputUnit result = schema.validator().validate(value);
        if (!Boolean.TRUE.equals(result.getValid())) {
            return SchemaErrors.fieldErrors(result, "settings", SchemaErrors.within(schema.schema(), "/"));
        }
        return opener.refusal(kind, url, value).map(refusal -> List.of(new FieldError("settings", refusal)))
                .orElse(List.of());
    }

    /**
     * What the formats {@code kind} serves find wrong with {@code hints} ({@code FormatPlugin.hintProblem}), one
     * error per invalid hint, named {@code moduleHints[<index>]}; empty when nothing is.
     */
    public List<FieldError> hintProblems(String kind, List<String> hints) {
        var plugin = opener.plugins().upstreamKind(kind);
        if (plugin.isEmpty() || hints == null) {
            return List.of();
        }
        List<FormatPlugin> formats = plugin.get().formats().stream().sorted()
                .flatMap(id -> opener.plugins().format(id).stream()).toList();
        List<FieldError> problems = new ArrayList<>();
        for (int i = 0; i < hints.size(); i++) {
            String hint = hints.get(i);
            String field = "moduleHints[" + i + "]";
            formats.stream().map(format -> format.hintProblem(hint)).flatMap(Optional::stream).findFirst()
                    .ifPresent(problem -> problems.add(new FieldError(field, problem)));
        }
        return problems;
    }

    private Compiled compiled(UpstreamPlugin plugin) {
        return compiled.computeIfAbsent(plugin.kind(), kind -> {
            JsonObject schema = new JsonObject(plugin.settingsSchema());
            JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                    .setBaseUri("urn:vreg:upstream:" + kind + ":").setOutputFormat(OutputFormat.Basic);
            return new Compiled(schema, Validator.create(JsonSchema.of(schema), options));
        });
    }
}
