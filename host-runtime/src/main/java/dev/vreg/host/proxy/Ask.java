package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.FormatPlugin;
import io.vertx.core.http.HttpServerResponse;

/**
 * One upstream asked for one path on behalf of one request.
 *
 * @param registry the registry the request is for
 * @param cached what the cache holds of this path for this upstream, of any kind, or {@code null}
 * @param client where a fetched body is streamed while it arrives, or {@code null} (metadata, HEAD requests)
 */
record Ask(Registry registry, Upstream upstream, FormatPlugin format, ArtifactRef ref, CacheEntry cached, HttpServerResponse client,
           Caller caller) {
}
