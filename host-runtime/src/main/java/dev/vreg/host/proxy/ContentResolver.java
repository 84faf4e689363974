package dev.vreg.host.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.db.DatabaseFailure;
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
import java.util.function.Consumer;

/**
 * Resolves a CONTENT artifact for a registry, in stages: a remembered hit; else a valid cached copy held by any of
 * its upstreams (the highest-priority holder first); else the upstreams in priority order, each asked through
 * {@link #ask}: the anonymous miss budget, one flight per (upstream, path) in this node, the negative cache, the
 * charge of a fresh miss to the budget, the memory of refused files, one flight per (upstream, path) across all nodes
 * on the database ({@link FleetFlight}), and the fetch itself. The first upstream that has the file wins and it is
 * cached under that upstream.
 */
public final class ContentResolver {

    /** Where an answer came from. */
    public enum Source {
        /** A copy already in the cache. */
        CACHE,
        /** Fetched from its upstream for this request. */
        FETCHED,
        /** Fetched for another request in flight at the same time, which this one waited for. */
        WAITED
    }

    /**
     * How a request was answered. {@code streamed} means the response has already been written, and the fetch that
     * wrote it counted as the entry's first pull.
     */
    public record Outcome(CacheEntry entry, boolean streamed, Source source) {
    }

    /** The upstreams a registry asks for a module, in priority order, and the path. */
    private record HitKey(List<Long> upstreamIds, String path) {
    }

    /** A hit and when the database last confirmed it. */
    private record Hit(CacheEntry entry, Instant confirmedAt) {
    }

    /** How long a hit is reused without asking the database; changes made through the API drop them at once. */
    public static final Duration HIT_VALIDITY = Duration.ofSeconds(60);
    private static final int MAX_HITS = 20_000;

    private final CacheRepository cache;
    private final ContentGate gate;
    private final Clock clock;
    private final Coalesce<Outcome> flights;
    private final NegativeCache<Outcome> negative;
    private final UpstreamCall<Outcome> ask;
    /**
     * Recent hits, so a busy file costs no database round trip. Module content is immutable, so a remembered entry
     * stays right; what it can miss for up to {@link #HIT_VALIDITY} is a copy another node cached meanwhile for an
     * upstream of higher priority. Its freshness is still checked on every use. Past that validity the database is
     * asked again, and while it cannot be reached the remembered entry goes on serving: its blob is on disk.
     */
    private final Cache<HitKey, Hit> hits = CacheBuilder.newBuilder().maximumSize(MAX_HITS).build();

    ContentResolver(CacheRepository cache, ContentFetcher fetcher, Clock clock, Duration notFoundValidity,
                    int anonymousMissesPerMinute, ContentGate gate, Consumer<Upstream> waited) {
        this(cache, fetcher, clock, notFoundValidity, anonymousMissesPerMinute, gate, waited, null);
    }

    /**
     * @param fleet the fleet-wide flight the fetch itself runs in (one fetch per path across all nodes on the
     *              database), or {@code null} for a node on its own
     */
    ContentResolver(CacheRepository cache, ContentFetcher fetcher, Clock clock, Duration notFoundValidity,
                    int anonymousMissesPerMinute, ContentGate gate, Consumer<Upstream> waited,
                    UpstreamCall.Layer<Outcome> fleet) {
        this.cache = cache;
        this.gate = gate;
        this.flights = new Coalesce<>(leaders -> new Outcome(leaders.entry(), false, Source.WAITED),
                ask -> waited.accept(ask.upstream()));
        this.clock = clock;
        this.negative = new NegativeCache<>(cache, clock, notFoundValidity);
        MissBudget<Outcome> budget = new MissBudget<>(anonymousMissesPerMinute, negative);
        this.ask = UpstreamCall.chain(
                a -> fetcher.fetch(a.registry(), a.upstream(), a.format(), a.ref(), a.client())
                        .map(entry -> new Outcome(entry, a.client() != null, Source.FETCHED)),
                budget.admit(),
                flights,
                negative,
                budget.charge(),
                new RefusedContent<>(clock, notFoundValidity),
                fleet == null ? next -> next : fleet);
    }

    /**
     * @param client where to stream a fetched body while it arrives, or {@code null} (HEAD requests)
     */
    public Future<Outcome> resolve(Registry registry, FormatPlugin format, ArtifactRef ref,
                                   HttpServerResponse client, Caller caller) {
        return resolve(registry, format, ref, client, caller, Set.of());
    }

    /**
     * Like {@link #resolve(Registry, FormatPlugin, ArtifactRef, HttpServerResponse, Caller)}, passing over cached
     * entries whose blob is one of {@code missingBlobs}: the file is fetched again and the entry rewritten.
     */
    public Future<Outcome> resolve(Registry registry, FormatPlugin format, ArtifactRef ref,
                                   HttpServerResponse client, Caller caller, Set<String> missingBlobs) {
        return find(registry, format, ref, client, caller, missingBlobs).compose(outcome -> outcome.streamed()
                ? Future.succeededFuture(outcome)
                : gate.admitCached(registry, format, ref, outcome.entry()).map(outcome));
    }

    private Future<Outcome> find(Registry registry, FormatPlugin format, ArtifactRef ref,
                                 HttpServerResponse client, Caller caller, Set<String> missingBlobs) {
        List<Upstream> upstreams = registry.upstreamsFor(format, ref);
        if (upstreams.isEmpty()) {
            return Future.failedFuture(VregException.notFound(ref.name() + ": no upstream of registry "
                    + registry.displayName() + " serves this module path"));
        }
        HitKey key = new HitKey(ids(upstreams), ref.path());
        Hit remembered = hits.getIfPresent(key);
        Instant asked = clock.instant();
        boolean usableHit = remembered != null && usable(remembered.entry(), upstreams, asked, missingBlobs);
        if (usableHit && remembered.confirmedAt().plus(HIT_VALIDITY).isAfter(asked)) {
            return Future.succeededFuture(new Outcome(remembered.entry(), false, Source.CACHE));
        }
        return CacheLookup.byUpstream(cache, upstreams, ref.path()).transform(looked -> {
            if (looked.succeeded()) {
                return answer(registry, key, upstreams, looked.result(), format, ref, client, caller, missingBlobs);
            }
            if (usableHit && DatabaseFailure.isUnavailable(looked.cause())) {
                // Content is immutable: what the database said before it went away is still right.
                return Future.succeededFuture(new Outcome(remembered.entry(), false, Source.CACHE));
            }
            return Future.failedFuture(looked.cause());
        });
    }

    /** Answers from what the cache holds of the path, else from the upstreams. */
    private Future<Outcome> answer(Registry registry, HitKey key, List<Upstream> upstreams, Map<Long, CacheEntry> byUpstream,
                                   FormatPlugin format, ArtifactRef ref, HttpServerResponse client, Caller caller,
                                   Set<String> missingBlobs) {
        Instant now = clock.instant();
        for (Upstream upstream : upstreams) {
            CacheEntry entry = byUpstream.get(upstream.id());
            if (entry != null && usable(entry, upstreams, now, missingBlobs)) {
                hits.put(key, new Hit(entry, now));
                return Future.succeededFuture(new Outcome(entry, false, Source.CACHE));
            }
        }
        return walk(registry, upstreams, 0, byUpstream, format, ref, client, caller, new ArrayList<>())
                .onSuccess(outcome -> hits.put(key, new Hit(outcome.entry(), clock.instant())));
    }

    /** The upstreams' ids, built with a plain loop: this runs on every pull of a cached file. */
    private static List<Long> ids(List<Upstream> upstreams) {
        Long[] ids = new Long[upstreams.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = upstreams.get(i).id();
        }
        return List.of(ids);
    }

    /**
     * Until when {@code entry} is fresh for {@code registry}'s request for {@code ref}: {@code null} for always, a
     * past instant when its upstream does not serve the request.
     */
    public static Instant freshUntil(Registry registry, FormatPlugin format, ArtifactRef ref, CacheEntry entry) {
        for (Upstream upstream : registry.upstreamsFor(format, ref)) {
            if (upstream.id() == entry.upstreamId()) {
                Duration validity = upstream.contentValidity();
                return validity == null ? null : entry.checkedAt().plus(validity);
            }
        }
        return Instant.EPOCH;
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
        negative.forget();
    }

    private Future<Outcome> walk(Registry registry, List<Upstream> upstreams, int index, Map<Long, CacheEntry> cached,
                                 FormatPlugin format, ArtifactRef ref, HttpServerResponse client, Caller caller,
                                 List<Throwable> failures) {
        if (index == upstreams.size()) {
            return Future.failedFuture(Failures.combine(ref, failures));
        }
        Upstream upstream = upstreams.get(index);
        return ask.call(new Ask(registry, upstream, format, ref, cached.get(upstream.id()), client, caller)).recover(e -> {
            if (client != null && client.headWritten()) {
                // This request's own download broke off midway: there is no answer left to give but a reset.
                return Future.failedFuture(e);
            }
            if (DatabaseFailure.isUnavailable(e)) {
                // The next upstream would need the database just the same.
                return Future.failedFuture(e);
            }
            if (VregException.is(e, ErrorKind.STORAGE_UNAVAILABLE)) {
                // The next upstream's copy would land on the same failing disk, and the answer must name the disk.
                return Future.failedFuture(e);
            }
            if (e instanceof ChecksumRefusal) {
                return Future.failedFuture(e);
            }
            failures.add(e);
            return walk(registry, upstreams, index + 1, cached, format, ref, client, caller, failures);
        });
    }

    /** Fetches in flight in this node, for metrics. */
    public int inFlight() {
        return flights.inFlight();
    }
}
