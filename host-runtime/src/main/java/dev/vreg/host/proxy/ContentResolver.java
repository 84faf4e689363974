package dev.vreg.host.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a CONTENT artifact for a registry: a valid cached copy held by any of its upstreams wins (the
 * highest-priority holder first); otherwise the upstreams are asked in priority order and the first that has it is
 * fetched and cached under that upstream. One fetch per (upstream, path) at a time in this node. A file the format
 * refused is not fetched from the same upstream again while its refusal is remembered.
 */
public final class ContentResolver {

    /** How a request was answered. {@code streamed} means the response has already been written. */
    public record Outcome(CacheEntry entry, boolean streamed) {
    }

    private record FlightKey(long upstreamId, String path) {
    }

    /** The upstreams a registry asks for a module, in priority order, and the path. */
    private record HitKey(List<Long> upstreamIds, String path) {
    }

    /** How long a hit is reused without asking the database; changes made through the API drop them at once. */
    private static final Duration HIT_VALIDITY = Duration.ofSeconds(60);
    private static final int MAX_HITS = 20_000;

    private final CacheRepository cache;
    private final ContentFetcher fetcher;
    private final Clock clock;
    private final Duration notFoundValidity;
    private final SingleFlight<FlightKey, CacheEntry> flights = new SingleFlight<>();
    private final RefusedContent refusals;
    /**
     * Recent hits, so a busy file costs no database round trip. Module content is immutable, so a remembered entry
     * stays right; what it can miss for up to {@link #HIT_VALIDITY} is a copy another node cached meanwhile for an
     * upstream of higher priority. Its freshness is still checked on every use.
     */
    private final Cache<HitKey, CacheEntry> hits = CacheBuilder.newBuilder().maximumSize(MAX_HITS)
            .expireAfterWrite(HIT_VALIDITY).build();

    ContentResolver(CacheRepository cache, ContentFetcher fetcher, Clock clock, Duration notFoundValidity) {
        this.cache = cache;
        this.fetcher = fetcher;
        this.clock = clock;
        this.notFoundValidity = notFoundValidity;
        this.refusals = new RefusedContent(clock, notFoundValidity);
    }

    /**
     * @param client where to stream a fetched body while it arrives, or {@code null} (HEAD requests)
     */
    public Future<Outcome> resolve(Registry registry, FormatPlugin format, ArtifactRef ref,
                                   HttpServerResponse client) {
        return resolve(registry, format, ref, client, Set.of());
    }

    /**
     * Like {@link #resolve(Registry, FormatPlugin, ArtifactRef, HttpServerResponse)}, passing over cached entries
     * whose blob is one of {@code missingBlobs}: the file is fetched again and the entry rewritten.
     */
    public Future<Outcome> resolve(Registry registry, FormatPlugin format, ArtifactRef ref,
                                   HttpServerResponse client, Set<String> missingBlobs) {
        List<Upstream> upstreams = registry.upstreamsFor(format, ref);
        if (upstreams.isEmpty()) {
            return Future.failedFuture(VregException.notFound(ref.name() + ": no upstream of registry "
                    + registry.displayName() + " serves this module path"));
        }
        HitKey key = new HitKey(upstreams.stream().map(Upstream::id).toList(), ref.path());
        CacheEntry remembered = hits.getIfPresent(key);
        if (remembered != null && usable(remembered, upstreams, clock.instant(), missingBlobs)) {
            return Future.succeededFuture(new Outcome(remembered, false));
        }
        return CacheLookup.byUpstream(cache, upstreams, ref.path()).compose(byUpstream -> {
            Instant now = clock.instant();
            for (Upstream upstream : upstreams) {
                CacheEntry entry = byUpstream.get(upstream.id());
                if (entry != null && usable(entry, upstreams, now, missingBlobs)) {
                    hits.put(key, entry);
                    return Future.succeededFuture(new Outcome(entry, false));
                }
            }
            return walk(upstreams, 0, byUpstream, format, ref, client, new ArrayList<>())
                    .onSuccess(outcome -> hits.put(key, outcome.entry()));
        });
    }

    private static boolean usable(CacheEntry entry, List<Upstream> upstreams, Instant now, Set<String> missingBlobs) {
        if (!entry.isContent() || missingBlobs.contains(entry.blobDigest())) {
            return false;
        }
        for (Upstream upstream : upstreams) {
            if (upstream.id() == entry.upstreamId()) {
                return entry.freshAt(now, upstream.contentValidity());
            }
        }
        return false;
    }

    /** Forgets the remembered hits; called whenever configuration or the cache is changed anywhere. */
    public void forgetHits() {
        hits.invalidateAll();
    }

    private Future<Outcome> walk(List<Upstream> upstreams, int index, Map<Long, CacheEntry> cached,
                                 FormatPlugin format, ArtifactRef ref, HttpServerResponse client,
                                 List<Throwable> failures) {
        if (index == upstreams.size()) {
            return Future.failedFuture(Failures.combine(ref, failures));
        }
        Upstream upstream = upstreams.get(index);
        CacheEntry known = cached.get(upstream.id());
        if (known != null && known.isNotFound() && known.freshAt(clock.instant(), notFoundValidity)) {
            return walk(upstreams, index + 1, cached, format, ref, client, failures);
        }
        VregException refused = refusals.recall(upstream.id(), ref.path());
        if (refused != null) {
            failures.add(refused);
            return walk(upstreams, index + 1, cached, format, ref, client, failures);
        }
        boolean[] led = new boolean[1];
        return flights.run(new FlightKey(upstream.id(), ref.path()), leader -> {
            led[0] = true;
            return fetcher.fetch(upstream, format, ref, client).recover(e -> {
                if (ContentFetcher.isNotFound(e)) {
                    return cache.saveNotFound(upstream.id(), ref).transform(x -> Future.failedFuture(e));
                }
                if (e instanceof VregException invalid && invalid.kind() == ErrorKind.UPSTREAM_INVALID) {
                    refusals.remember(upstream.id(), ref.path(), invalid);
                }
                return Future.failedFuture(e);
            });
        }).map(entry -> new Outcome(entry, led[0] && client != null))
                .recover(e -> {
                    if (led[0] && client != null && client.headWritten()) {
                        return Future.failedFuture(e);
                    }
                    failures.add(e);
                    return walk(upstreams, index + 1, cached, format, ref, client, failures);
                });
    }

    /** Fetches in flight in this node, for metrics. */
    public int inFlight() {
        return flights.size();
    }
}
