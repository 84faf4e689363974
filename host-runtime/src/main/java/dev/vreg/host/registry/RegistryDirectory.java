package dev.vreg.host.registry;

import dev.vreg.host.vertx.CallerContext;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registries as the request path sees them: read from the database once, then served from memory until
 * {@link #invalidateAll()} (called when the configuration changes anywhere in the cluster) or until a short
 * time-to-live passes, so a missed notification heals by itself.
 */
public final class RegistryDirectory {

    private record Cached(Future<Optional<Registry>> registry, Instant loadedAt) {
    }

    private final RegistryRepository repository;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public RegistryDirectory(RegistryRepository repository, Clock clock, Duration ttl) {
        this.repository = repository;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Future<Optional<Registry>> find(String group, String name) {
        String key = group + "/" + name;
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.loadedAt.plus(ttl).isAfter(now) && !cached.registry.failed()) {
            return CallerContext.bind(cached.registry);
        }
        Future<Optional<Registry>> loading = repository.find(group, name);
        cache.put(key, new Cached(loading, now));
        return loading;
    }

    public void invalidateAll() {
        cache.clear();
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} whenever the directory is dropped, so caches derived from it are dropped too. */
    public void onInvalidate(Runnable listener) {
        listeners.add(listener);
    }
}
