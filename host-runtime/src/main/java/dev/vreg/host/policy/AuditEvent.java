package dev.vreg.host.policy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Something an auditor wants to see afterwards. {@code request.blocked}: a filter rule refused a pull;
 * {@code cache.entries.deleted}: a lifecycle policy deleted cached files.
 *
 * @param registryId the registry's id, which also names its group
 * @param rule       the deciding filter rule, 1-based, or {@code null}
 */
public record AuditEvent(long id, Instant occurredAt, String action, String actor, long registryId, String registry,
                         String module, String version, Integer rule, String reason) {

    public static final String REQUEST_BLOCKED = "request.blocked";
    /** A lifecycle policy deleted a version's cached files (actor: the policy's job). */
    public static final String CACHE_ENTRIES_DELETED = "cache.entries.deleted";

    public JsonObject json() {
        return new JsonObject().put("id", id).put("occurredAt", occurredAt.toString()).put("action", action)
                .put("actor", actor).put("registry", registry).put("module", module).put("version", version)
                .put("rule", rule).put("reason", reason);
    }
}
