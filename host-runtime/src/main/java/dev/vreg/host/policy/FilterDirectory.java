package dev.vreg.host.policy;

import dev.vreg.host.vertx.CallerContext;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registries' filter rules as the request path reads them: from the database once, then from memory until the
 * configuration changes anywhere in the cluster ({@link #invalidateAll()}, run with the registry directory's). While
 * the database cannot be read the rules last read are used, so an outage does not lift a policy.
 */
public final class FilterDirectory {

    private final FilterStore store;
    private final ConcurrentMap<Long, Future<FilterSet>> loaded = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, FilterSet> lastKnown = new ConcurrentHashMap<>();

    public FilterDirectory(FilterStore store) {
        this.store = store;
    }

    /** The registry's filters; shared between requests, so bound to the caller's context like every shared future. */
    public Future<FilterSet> of(long registryId) {
        return CallerContext.bind(load(registryId));
    }

    private Future<FilterSet> load(long registryId) {
        Future<FilterSet> cached = loaded.get(registryId);
        if (cached != null && !cached.failed()) {
            return cached;
        }
        Future<FilterSet> loading = store.filters(registryId)
                .onSuccess(filters -> lastKnown.put(registryId, filters));
        loaded.put(registryId, loading);
        return loading.recover(e -> {
            FilterSet known = lastKnown.get(registryId);
            return known == null ? Future.failedFuture(e) : Future.succeededFuture(known);
        });
    }

    public void invalidateAll() {
        loaded.clear();
    }
}
