package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.FormatPlugin;
import io.vertx.core.Future;

/**
 * The last word on a fetched CONTENT file before it is committed, once the format's own check has passed (Go: its
 * hash against the registry's checksum database). A failure refuses the file: nothing is cached.
 */
public interface ContentGate {

    /** Admits everything. */
    ContentGate NONE = (registry, upstream, format, ref, check) -> Future.succeededFuture();

    /**
     * @param registry the registry whose request fetched the file
     * @param check    what the format's check found
     */
    Future<Void> admit(Registry registry, Upstream upstream, FormatPlugin format, ArtifactRef ref, ContentCheck check);

    /**
     * The same word on a file already in the cache, before it is served to {@code registry}: the entry may have been
     * cached for another registry sharing the upstream, under other rules. The default admits it.
     */
    default Future<Void> admitCached(Registry registry, FormatPlugin format, ArtifactRef ref, CacheEntry entry) {
        return Future.succeededFuture();
    }
}
