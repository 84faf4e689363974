package dev.vreg.host.proxy;

import dev.vreg.host.vertx.CallerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * At most one call per key in flight inside this node: the first caller (the leader) runs the task, callers that
 * arrive while it runs share its outcome. Followers are resumed on their own Vert.x context, never on the leader's.
 */
public final class SingleFlight<K, V> {

    private final ConcurrentMap<K, Future<V>> inFlight = new ConcurrentHashMap<>();

    /**
     * Runs {@code task} unless a call for {@code key} is already running. The task is told whether it leads; only
     * the leader's task is invoked with {@code true}, followers never run theirs.
     */
    public Future<V> run(K key, Function<Boolean, Future<V>> task) {
        Promise<V> leaderPromise = Promise.promise();
        Future<V> existing = inFlight.putIfAbsent(key, leaderPromise.future());
        if (existing != null) {
            return CallerContext.bind(existing);
        }
        Future<V> result;
        try {
            result = task.apply(Boolean.TRUE);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            inFlight.remove(key, leaderPromise.future());
            leaderPromise.handle(ar);
        });
        return result;
    }

    /** Number of keys in flight (for metrics and tests). */
    public int size() {
        return inFlight.size();
    }
}
