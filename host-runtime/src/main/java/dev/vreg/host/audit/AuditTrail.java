package dev.vreg.host.audit;

import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.AuditLog;
import dev.vreg.host.policy.Policies;
import io.vertx.core.Future;

/**
 * Where every audit event goes: queued on the one batched writer of audit events (so recording one costs the caller
 * no database round trip), then written by {@link AuditLog} in one transaction with the webhook deliveries it starts.
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
}
