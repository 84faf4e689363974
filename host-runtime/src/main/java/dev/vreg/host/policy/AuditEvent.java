package dev.vreg.host.policy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Something an auditor wants to see afterwards. {@code request.blocked}: a filter rule refused a pull;
 * {@code cache.entries.deleted}: a lifecycle policy deleted cached files. Every other action is a change made through
 * the admin API (its {@code x-audit} name in the API description), a session or a token's use; see
 * {@code dev.vreg.host.audit}.
 *
 * @param groupName  the group it belongs to, when {@code registryId} does not say; {@code null} for instance-wide ones
 * @param registryId the registry's id, which also names its group; 0 when the event is of no registry's pull
 * @param rule       the deciding filter rule, 1-based, or {@code null}
 * @param target     the resource changed, as an API path
 * @param address    the client's address
 * @param before     the resource before the change, secrets masked, or {@code null}
 * @param after      the resource after the change, secrets masked, or {@code null}
 */
public record AuditEvent(long id, Instant occurredAt, String action, String actor, String groupName,
                         long registryId, String registry, String module, String version, Integer rule, String reason,
                         String target, String address, JsonObject before, JsonObject after) {

    public static final String REQUEST_BLOCKED = "request.blocked";
    /** A lifecycle policy deleted a version's cached files (actor: the policy's job). */
    public static final String CACHE_ENTRIES_DELETED = "cache.entries.deleted";
    /** A lifecycle policy's run ended (actor: the policy's job). */
    public static final String LIFECYCLE_RUN_FINISHED = "lifecycle.run.finished";

    /** A blocked pull. */
    public AuditEvent(long id, Instant occurredAt, String action, String actor, long registryId, String registry,
                      String module, String version, Integer rule, String reason) {
        this(id, occurredAt, action, actor, null, registryId, registry, module, version, rule, reason, null, null,
                null, null);
    }

    public JsonObject json() {
        return new JsonObject().put("id", id).put("occurredAt", occurredAt.toString()).put("action", action)
                .put("actor", actor).put("group", groupName).put("registry", registry).put("module", module)
                .put("version", version).put("rule", rule).put("reason", reason).put("target", target)
                .put("address", address).put("before", before).put("after", after);
    }
}
