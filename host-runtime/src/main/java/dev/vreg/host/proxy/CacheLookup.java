package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.upstream.Upstream;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One query for what the cache holds of a path across a registry's upstreams, keyed by upstream id. */
final class CacheLookup {

    private CacheLookup() {
    }

    static Future<Map<Long, CacheEntry>> byUpstream(CacheRepository cache, List<Upstream> upstreams, String path) {
        return cache.find(upstreams.stream().map(Upstream::id).toList(), path)
                .map(entries -> entries.stream().collect(Collectors.toMap(CacheEntry::upstreamId,
                        Function.identity())));
    }
}
