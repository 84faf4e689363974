package dev.vreg.host.sumdb;

import dev.vreg.host.vertx.CallerContext;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The registries' checksum database settings as the request path reads them: from the database once, then from
 * memory until the configuration changes ({@link #invalidateAll()}). While the database cannot be read the settings
 * last read are used.
 */
public final class ChecksumSettingsDirectory {

    private final ChecksumStore store;
    private final ConcurrentMap<Long, Future<ChecksumSettings>> loaded = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, ChecksumSettings> lastKnown = new ConcurrentHashMap<>();

    public ChecksumSettingsDirectory(ChecksumStore store) {
        this.store = store;
    }

    /** The registry's settings; shared between requests, so bound to the caller's context. */
    public Future<ChecksumSettings> of(long registryId) {
        return CallerContext.bind(load(registryId));
    }

    private Future<ChecksumSettings> load(long registryId) {
        Future<ChecksumSettings> cached = loaded.get(registryId);
        if (cached != null && !cached.failed()) {
            return cached;
        }
        Future<ChecksumSettings> loading = store.settings(registryId)
                .map(found -> found.orElse(ChecksumSettings.DEFAULT))
                .onSuccess(settings -> lastKnown.put(registryId, settings));
        loaded.put(registryId, loading);
        return loading.recover(e -> {
            ChecksumSettings known = lastKnown.get(registryId);
            return known == null ? Future.failedFuture(e) : Future.succeededFuture(known);
        });
    }

    public void invalidateAll() {
        loaded.clear();
    }
}
