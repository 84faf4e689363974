package dev.vreg.host.audit;

import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.AuditLog;
import dev.vreg.host.policy.Policies;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where every audit event goes: queued on the one batched writer of audit events (so recording one costs the caller
 * no database round trip), then written in one transaction with the webhook deliveries it starts.
 */
public final class AuditTrail {

    private final Policies policies;

    public AuditTrail(Policies policies) {
        this.policies = policies;
    }

    /** Queues {@code event}; it reaches the database, and the webhooks that want it, with the next batch. */
    public void record(AuditEvent event) {
        policies.record(event);
    }

    /** Writes what is queued now. */
    public Future<Void> flush() {
        return policies.flush();
    }

    public AuditLog log() {
        return policies.audit();
    }

    /**
     * The batched writer's write: the events, and the deliveries to the webhooks subscribed to them, in one
     * transaction, so a batch written again after a failure neither doubles events nor notifications.
     */
    public static Future<Void> write(Pool pool, AuditLog log, Webhooks webhooks, Map<Long, AuditEvent> batch) {
        Collection<AuditEvent> events = AuditLog.inOrder(batch);
        List<Webhooks.Notice> notices = webhooks == null ? List.of() : webhooks.notices(events);
        if (notices.isEmpty()) {
            return log.write(pool, events);
        }
        return pool.withTransaction(client -> log.write(client, events)
                        .compose(v -> webhooks.store().enqueue(client, notices)))
                .onSuccess(queued -> {
                    if (queued > 0) {
                        webhooks.dispatcher().sendDue();
                    }
                })
                .mapEmpty();
    }
}
