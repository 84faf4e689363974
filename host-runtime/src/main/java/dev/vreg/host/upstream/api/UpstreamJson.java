package dev.vreg.host.upstream.api;

import dev.vreg.host.api.Sql;

import dev.vreg.host.upstream.UpstreamView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** How an upstream is shown: everything but its credentials, of which only their presence is told. */
public final class UpstreamJson {

    private UpstreamJson() {
    }

    public static JsonObject of(UpstreamView upstream) {
        JsonArray usedBy = new JsonArray();
        upstream.usedBy().forEach(use -> usedBy.add(new JsonObject().put("registry", use.registry())
                .put("position", use.position())));
        return new JsonObject()
                .put("id", upstream.id())
                .put("name", upstream.name())
                .put("kind", upstream.kind())
                .put("url", upstream.url())
                .put("settings", upstream.settings())
                .put("moduleHints", new JsonArray(upstream.moduleHints()))
                .put("metadataValiditySeconds", upstream.metadataValiditySeconds())
                .put("contentValiditySeconds", upstream.contentValiditySeconds())
                .put("transferDeadlineSeconds", upstream.transferDeadlineSeconds())
                .put("minTransferRate", upstream.minTransferRate())
                .put("credentialsSet", upstream.credentialsSet())
                .put("allowPrivateNetwork", upstream.allowPrivateNetwork())
                // Filled by connection tests; "unknown" until the first one ran.
                .put("status", upstream.status() != null ? upstream.status()
                        : new JsonObject().put("state", "unknown"))
                .put("usedBy", usedBy)
                .put("createdAt", Sql.time(upstream.createdAt()))
                .put("updatedAt", Sql.time(upstream.updatedAt()));
    }
}
