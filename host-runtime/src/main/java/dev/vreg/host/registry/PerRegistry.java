package dev.vreg.host.registry;

import dev.vreg.host.vertx.CallerContext;
import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongFunction;

/**
 * Something every request of a registry reads (its filter rules, its checksum database settings), loaded from the
 * database once and then kept in memory until the configuration changes anywhere in the cluster
 * ({@link #invalidateAll()}, run with the registry directory's). While the database cannot be read the value last
 * read is used, so an outage neither lifts a policy nor turns a check off. One load is shared by the requests that
 * ask meanwhile; each continues on its own Vert.x context.
 */
public final class PerRegistry<T> {

    private final LongFunction<Future<T>> load;
    private final ConcurrentMap<Long, Future<T>> loaded = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, T> lastKnown = new ConcurrentHashMap<>();

    public PerRegistry(LongFunction<Future<T>> load) {
        this.load = load;
    }

    public Future<T> of(long registryId) {
        return CallerContext.bind(shared(registryId));
    }

    private Future<T> shared(long registryId) {
        Future<T> cached = loaded.get(registryId);
        if (cached != null && !cached.failed()) {
            return cached;
        }
        Future<T> loading = load.apply(registryId).onSuccess(value -> lastKnown.put(registryId, value));
        loaded.put(registryId, loading);
        return loading.recover(e -> {
            T known = lastKnown.get(registryId);
            return known == null ? Future.failedFuture(e) : Future.succeededFuture(known);
        });
    }

    public void invalidateAll() {
        loaded.clear();
    }
}
