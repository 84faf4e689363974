package dev.vreg.host.audit;

import dev.vreg.host.policy.AuditEvent;
import dev.vreg.host.policy.AuditLog;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The groups' webhooks: which audit events are sent as which kind, the store of webhooks and their deliveries, and
 * the dispatcher that sends them.
 */
public final class Webhooks implements AuditLog.Notifier {

    public static final String REQUEST_BLOCKED = "request.blocked";
    public static final String ENTRIES_DELETED = "entries.deleted";
    public static final String POLICY_RUN_FINISHED = "policy.run.finished";
    public static final String UPSTREAM_TEST_FAILED = "upstream.test.failed";
    /** Sent only by the "send test event" call. */
    public static final String TEST = "webhook.test";

    /** The kinds a webhook can be subscribed to. */
    public static final Set<String> KINDS = Set.of(REQUEST_BLOCKED, ENTRIES_DELETED, POLICY_RUN_FINISHED,
            UPSTREAM_TEST_FAILED);

    /** Audit actions that deleted cache entries: the admin API's purges and deletions, and lifecycle policies'. */
    static final Set<String> DELETIONS = Set.of("registry.cache.purged", "upstream.cache.purged",
            "cache.entry.deleted", AuditEvent.CACHE_ENTRIES_DELETED);

    /** An event to send to the webhooks of a group that take {@code kind}. */
    public record Notice(long registryId, String group, String kind, Instant occurredAt, JsonObject payload) {
    }

    private final WebhookStore store;
    private final WebhookDispatcher dispatcher;

    public Webhooks(WebhookStore store, WebhookDispatcher dispatcher) {
        this.store = store;
        this.dispatcher = dispatcher;
    }

    public WebhookStore store() {
        return store;
    }

    public WebhookDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public Future<Integer> queue(SqlClient client, List<AuditEvent> events) {
        List<Notice> notices = notices(events);
        return notices.isEmpty() ? Future.succeededFuture(0) : store.enqueue(client, notices);
    }

    @Override
    public void queued() {
        dispatcher.sendDue();
    }

    /** The webhook kind of {@code event}, or {@code null} when no webhook is sent it. */
    public static String kindOf(AuditEvent event) {
        String action = event.action();
        if (AuditEvent.REQUEST_BLOCKED.equals(action)) {
            return REQUEST_BLOCKED;
        }
        if (DELETIONS.contains(action)) {
            return ENTRIES_DELETED;
        }
        if (POLICY_RUN_FINISHED.equals(action) || AuditEvent.LIFECYCLE_RUN_FINISHED.equals(action)) {
            return POLICY_RUN_FINISHED;
        }
        if (UPSTREAM_TEST_FAILED.equals(action) || "upstream.tested".equals(action) && event.after() != null
                && "failed".equals(event.after().getString("state"))) {
            return UPSTREAM_TEST_FAILED;
        }
        return null;
    }

    /** The notices of a batch of events: one for each event of a group that some kind of webhook takes. */
    public List<Notice> notices(Collection<AuditEvent> events) {
        List<Notice> notices = new ArrayList<>();
        for (AuditEvent e : events) {
            String kind = kindOf(e);
            if (kind != null && (e.registryId() != 0 || e.groupName() != null)) {
                notices.add(new Notice(e.registryId(), e.groupName(), kind, e.occurredAt(),
                        payload(kind, e.groupName(), e.occurredAt(), e.json())));
            }
        }
        return notices;
    }

    /**
     * The body sent: a unique {@code id} (the same in every retry, so receivers can drop duplicates), the kind, when
     * it happened, the group, and the audit event itself. The group of a blocked pull is filled in from its
     * registry when the delivery is queued.
     */
    public static JsonObject payload(String kind, String group, Instant occurredAt, JsonObject event) {
        event.remove("id");
        return new JsonObject().put("id", UUID.randomUUID().toString()).put("kind", kind)
                .put("occurredAt", occurredAt.toString()).put("group", group).put("event", event);
    }
}
