package dev.vreg.host.cli;

import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;

/**
 * The audit events of changes made on the command line, beside the database rather than through the admin API: the
 * same actions as the API's, the actor the operating system's user.
 */
final class CommandAudit {

    private CommandAudit() {
    }

    static Future<Void> record(Pool pool, String action, String target, JsonObject after) {
        String actor = "command line (" + System.getProperty("user.name", "unknown") + ")";
        return new AuditLog(pool).write(pool, List.of(new AuditEvent(0, Instant.now(), action, actor, null, 0, null,
                null, null, null, null, target, null, null, after)));
    }
}
