package dev.vreg.host.upstream.api;

import dev.vreg.host.api.Sql;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;

/** How an upstream is shown: everything but its credentials, of which only their presence is told. */
public final class UpstreamJson {

    public static final String COLUMNS = """
            u.id, u.name, u.kind, u.url, u.settings, u.module_hints, u.metadata_validity_s, u.content_validity_s,
            u.transfer_deadline_s, u.min_transfer_rate,
            u.credentials IS NOT NULL AS credentials_set, u.status, u.created_at, u.updated_at,
            COALESCE((SELECT json_agg(json_build_object('registry', r.name, 'position', ru.position) ORDER BY r.name)
                        FROM registry_upstreams ru JOIN registries r ON r.id = ru.registry_id
                       WHERE ru.upstream_id = u.id), '[]'::json) AS used_by""";

    private UpstreamJson() {
    }

    public static JsonObject of(Row row) {
        Object settings = row.getValue("settings");
        Object status = row.getValue("status");
        Object usedBy = row.getValue("used_by");
        String[] hints = row.getArrayOfStrings("module_hints");
        return new JsonObject()
                .put("id", row.getLong("id"))
                .put("name", row.getString("name"))
                .put("kind", row.getString("kind"))
                .put("url", row.getString("url"))
                .put("settings", settings instanceof JsonObject o ? o : new JsonObject())
                .put("moduleHints", new JsonArray(hints == null ? List.of() : List.of(hints)))
                .put("metadataValiditySeconds", row.getLong("metadata_validity_s"))
                .put("contentValiditySeconds", row.getLong("content_validity_s"))
                .put("transferDeadlineSeconds", row.getLong("transfer_deadline_s"))
                .put("minTransferRate", row.getLong("min_transfer_rate"))
                .put("credentialsSet", row.getBoolean("credentials_set"))
                // Filled by connection tests; "unknown" until the first one ran.
                .put("status", status instanceof JsonObject o ? o : new JsonObject().put("state", "unknown"))
                .put("usedBy", usedBy instanceof JsonArray a ? a : new JsonArray())
                .put("createdAt", Sql.time(row, "created_at"))
                .put("updatedAt", Sql.time(row, "updated_at"));
    }
}
