package dev.vreg.host.policy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Something an auditor wants to see afterwards. {@code request.blocked}: a filter rule refused a pull.
 *
 * @param registryId the registry's id, which also names its group
 * @param rule       the deciding filter rule, 1-based, or {@code null}
 */
public record AuditEvent(long id, Instant occurredAt, String action, String actor, long registryId, String registry,
                         String module, String version, Integer rule, String reason) {

    public static final String REQUEST_BLOCKED = "request.blocked";

    public JsonObject json() {
        return new JsonObject().put("id", id).put("occurredAt", occurredAt.toString()).put("action", action)
                .put("actor", actor).put("registry", registry).put("module", module).put("version", version)
                .put("rule", rule).put("reason", reason);
    }
}
