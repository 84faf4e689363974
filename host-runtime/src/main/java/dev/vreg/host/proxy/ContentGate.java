package dev.vreg.host.proxy;

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
}
