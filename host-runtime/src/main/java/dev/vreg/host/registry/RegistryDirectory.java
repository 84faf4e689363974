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
 * time-to-live passes, so a missed notification heals by itself. When a reload fails (the database is down) the
 * registry last read is served instead, so what is cached keeps being served through the outage.
 */
public final class RegistryDirectory {

    private record Cached(Future<Optional<Registry>> registry, Instant loadedAt) {
    }

    /** How long after a failed reload the last known registry is served without asking the database again. */
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final RegistryRepository repository;
    private final Clock clock;
    private final Duration ttl;
    private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** Registries that existed when last read; only existing ones, so unknown names requested cannot grow it. */
    private final ConcurrentMap<String, Registry> lastKnown = new ConcurrentHashMap<>();
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
            return orLastKnown(key, CallerContext.bind(cached.registry));
        }
        Registry known = lastKnown.get(key);
        if (cached != null && cached.registry.failed() && known != null
                && cached.loadedAt.plus(RETRY_AFTER_FAILURE).isAfter(now)) {
            // The database just failed to answer; asking it again for every request would only queue them up.
            return Future.succeededFuture(Optional.of(known));
        }
        Future<Optional<Registry>> loading = repository.find(group, name).onSuccess(found -> {
            if (found.isPresent()) {
                lastKnown.put(key, found.get());
            } else {
                lastKnown.remove(key);
            }
        });
        cache.put(key, new Cached(loading, now));
        return orLastKnown(key, loading);
    }

    private Future<Optional<Registry>> orLastKnown(String key, Future<Optional<Registry>> loading) {
        return loading.recover(e -> {
            Registry known = lastKnown.get(key);
            return known == null ? Future.failedFuture(e) : Future.succeededFuture(Optional.of(known));
        });
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
