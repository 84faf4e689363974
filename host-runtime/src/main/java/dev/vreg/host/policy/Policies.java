package dev.vreg.host.policy;

import dev.vreg.host.db.BatchedWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pull path and the admin API share of the policies: the filter rules, from memory, and the audit events
 * recorded off the request path through a {@link BatchedWriter}.
 */
public final class Policies {

    private final FilterStore store;
    private final FilterDirectory filters;
    private final AuditLog audit;
    private final BatchedWriter<Long, AuditEvent> events;
    private final WithdrawnVersions withdrawn;
    private final AtomicLong sequence = new AtomicLong();

    public Policies(FilterStore store, AuditLog audit, BatchedWriter<Long, AuditEvent> events) {
        this(store, audit, events, WithdrawnVersions.NONE);
    }

    /** @param withdrawn what the rules that ask about withdrawn versions (Go: {@code retracted}) read them from */
    public Policies(FilterStore store, AuditLog audit, BatchedWriter<Long, AuditEvent> events,
                    WithdrawnVersions withdrawn) {
        this.store = store;
        this.filters = new FilterDirectory(store);
        this.audit = audit;
        this.events = events;
        this.withdrawn = withdrawn;
    }

    public WithdrawnVersions withdrawn() {
        return withdrawn;
    }

    public FilterStore store() {
        return store;
    }

    public FilterDirectory filters() {
        return filters;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Queues {@code event}; it reaches the database with the next batch. */
    public void record(AuditEvent event) {
        events.record(sequence.incrementAndGet(), event);
    }

    /** Writes the events still queued (tests read them right after a block). */
    public io.vertx.core.Future<Void> flush() {
        return events.flush();
    }
}
