package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.registry.Upstream;
import dev.vreg.host.registry.UpstreamClients;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ArtifactRequest;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.MetadataPart;
import dev.vreg.spi.UpstreamResponse;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resolves a METADATA artifact (version lists, latest) for a registry: every eligible upstream is consulted in
 * parallel, each through its own cache with its own validity, and the answers are merged by the format. An upstream
 * that cannot be reached contributes its last known answer, and the result says so in a warning.
 */
public final class MetadataResolver {

    /** The merged body, and warnings about stale parts. */
    public record Merged(Buffer body, List<String> warnings) {
    }

    /** One upstream's contribution: a part, "not here", or a failure. */
    private record Answer(MetadataPart part, boolean stale, Throwable failure) {
    }

    private record FlightKey(long upstreamId, String path) {
    }

    private final UpstreamClients clients;
    private final CacheRepository cache;
    private final Clock clock;
    private final Duration notFoundValidity;
    private final long maxBytes;
    private final SingleFlight<FlightKey, Answer> flights = new SingleFlight<>();

    MetadataResolver(UpstreamClients clients, CacheRepository cache, Clock clock, Duration notFoundValidity,
                     long maxBytes) {
        this.clients = clients;
        this.cache = cache;
        this.clock = clock;
        this.notFoundValidity = notFoundValidity;
        this.maxBytes = maxBytes;
    }

    public Future<Merged> resolve(Registry registry, FormatPlugin format, ArtifactRef ref) {
        List<Upstream> upstreams = registry.upstreamsFor(ref.name());
        if (upstreams.isEmpty()) {
            return Future.failedFuture(VregException.notFound(ref.name() + ": no upstream of registry "
                    + registry.displayName() + " serves this module path"));
        }
        return gather(upstreams, ref).compose(gathered -> {
            if (!gathered.parts.isEmpty()) {
                return merged(() -> format.merge(ref, gathered.parts), gathered.warnings);
            }
            ArtifactRef fallback = format.fallbackFor(ref);
            boolean nowhere = gathered.failures.stream().allMatch(ContentFetcher::isNotFound);
            if (fallback == null || !nowhere) {
                return Future.failedFuture(Failures.combine(ref, gathered.failures));
            }
            return gather(upstreams, fallback).compose(derived -> derived.parts.isEmpty()
                    ? Future.failedFuture(Failures.combine(ref, gathered.failures))
                    : merged(() -> format.mergeFallback(ref, derived.parts), derived.warnings));
        });
    }

    /** What every upstream answered for one path: usable parts, warnings about stale ones, and failures. */
    private record Gathered(List<MetadataPart> parts, List<String> warnings, List<Throwable> failures) {
    }

    private Future<Gathered> gather(List<Upstream> upstreams, ArtifactRef ref) {
        return CacheLookup.byUpstream(cache, upstreams, ref.path()).compose(cached -> {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < upstreams.size(); i++) {
                answers.add(answer(upstreams.get(i), i + 1, cached.get(upstreams.get(i).id()), ref));
            }
            return Future.join(answers).transform(ignored -> Future.succeededFuture(collect(upstreams, answers)));
        });
    }

    private static Gathered collect(List<Upstream> upstreams, List<Future<Answer>> answers) {
        List<MetadataPart> parts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            Future<Answer> f = answers.get(i);
            Answer answer = f.succeeded() ? f.result() : new Answer(null, false, f.cause());
            if (answer.part != null) {
                parts.add(answer.part);
                if (answer.stale) {
                    warnings.add("upstream " + upstreams.get(i).name() + " is unreachable; its cached answer was used");
                }
            } else if (answer.failure != null) {
                failures.add(answer.failure);
            }
        }
        if (!parts.isEmpty()) {
            for (Throwable failure : failures) {
                if (!ContentFetcher.isNotFound(failure)) {
                    warnings.add(failure.getMessage());
                }
            }
        }
        return new Gathered(parts, warnings, failures);
    }

    private static Future<Merged> merged(Supplier<Buffer> merge, List<String> warnings) {
        try {
            return Future.succeededFuture(new Merged(merge.get(), warnings));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Answer> answer(Upstream upstream, int position, CacheEntry cached, ArtifactRef ref) {
        if (cached != null) {
            if (cached.isMetadata() && cached.freshAt(clock.instant(), upstream.metadataValidity())) {
                return Future.succeededFuture(part(upstream, position, cached.body(), false));
            }
            if (cached.isNotFound() && cached.freshAt(clock.instant(), notFoundValidity)) {
                return Future.succeededFuture(new Answer(null, false, VregException.notFound(ref.path())));
            }
        }
        return flights.run(new FlightKey(upstream.id(), ref.path()), leader -> fetch(upstream, position, cached, ref));
    }

    private Future<Answer> fetch(Upstream upstream, int position, CacheEntry cached, ArtifactRef ref) {
        String etag = cached != null && cached.isMetadata() ? cached.upstreamEtag() : null;
        Future<UpstreamResponse> response;
        try {
            response = clients.clientFor(upstream).fetch(new ArtifactRequest(ref, etag));
        } catch (RuntimeException e) {
            response = Future.failedFuture(e);
        }
        return response.compose(r -> {
            if (r.notModified() && cached != null) {
                r.discard();
                return cache.touch(cached.id()).map(v -> part(upstream, position, cached.body(), false));
            }
            return BodyReader.read(r, maxBytes, upstream.name(), ref.path())
                    .compose(body -> cache.saveMetadata(upstream.id(), ref, body, null, r.etag())
                            .map(saved -> part(upstream, position, body, false)));
        }).recover(e -> {
            if (ContentFetcher.isNotFound(e)) {
                return cache.saveNotFound(upstream.id(), ref).map(v -> new Answer(null, false, e));
            }
            if (cached != null && cached.isMetadata()) {
                return Future.succeededFuture(part(upstream, position, cached.body(), true));
            }
            return Future.succeededFuture(new Answer(null, false, e));
        });
    }

    private static Answer part(Upstream upstream, int position, Buffer body, boolean stale) {
        return new Answer(new MetadataPart(Long.toString(upstream.id()), position, body), stale, null);
    }
}
