package dev.vreg.host.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.registry.Registry;
import dev.vreg.host.upstream.Upstream;
import dev.vreg.host.upstream.UpstreamClients;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Resolves a METADATA artifact (version lists, latest) for a registry: a remembered merged answer while all its
 * parts are fresh; else every eligible upstream is asked in parallel and the answers are merged by the format. Each
 * upstream is asked in stages: its fresh cached answer, the anonymous miss budget, one flight per (upstream, path)
 * in this node, its last known answer when it cannot be reached (the result then says so in a warning), the
 * negative cache, the charge of a fresh miss to the budget, and the conditional fetch itself.
 */
public final class MetadataResolver {

    /** The merged body, and warnings about stale parts. */
    public record Merged(Buffer body, List<String> warnings) {
    }

    /**
     * One upstream's contribution: a part, "not here", or a failure; {@code freshUntil} is when the cached answer it
     * came from stops being fresh ({@code null}: it was not a fresh answer).
     */
    private record Answer(MetadataPart part, boolean stale, Throwable failure, Instant freshUntil) {

        Answer at(Upstream upstream, int position) {
            return part == null ? this : new Answer(new MetadataPart(Long.toString(upstream.id()), position,
                    part.body()), stale, failure, freshUntil);
        }
    }

    /** A merged answer and the instant the first of its parts stops being fresh. */
    private record Memo(Merged merged, Instant freshUntil) {
    }

    private record MemoKey(String format, List<Long> upstreamIds, String path) {
    }

    private static final int MAX_MEMOS = 20_000;

    private final UpstreamClients clients;
    private final CacheRepository cache;
    private final Clock clock;
    private final long maxBytes;
    private final NegativeCache<Answer> negative;
    private final UpstreamCall<Answer> ask;
    /**
     * Merged answers whose every part was fresh, kept until the first part stops being fresh: within that time the
     * database would give the same parts, so a busy list costs neither a query nor a merge.
     */
    private final Cache<MemoKey, Memo> memos = CacheBuilder.newBuilder().maximumSize(MAX_MEMOS).build();

    MetadataResolver(UpstreamClients clients, CacheRepository cache, Clock clock, Duration notFoundValidity,
                     long maxBytes, int anonymousMissesPerMinute) {
        this.clients = clients;
        this.cache = cache;
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.negative = new NegativeCache<>(cache, clock, notFoundValidity);
        MissBudget<Answer> budget = new MissBudget<>(anonymousMissesPerMinute, negative);
        this.ask = UpstreamCall.chain(this::fetch,
                this::freshCache,
                budget.admit(),
                new Coalesce<>(answer -> answer),
                this::staleIfError,
                negative,
                budget.charge());
    }

    public Future<Merged> resolve(Registry registry, FormatPlugin format, ArtifactRef ref, Caller caller) {
        List<Upstream> upstreams = registry.upstreamsFor(format, ref);
        if (upstreams.isEmpty()) {
            return Future.failedFuture(VregException.notFound(ref.name() + ": no upstream of registry "
                    + registry.displayName() + " serves this module path"));
        }
        MemoKey key = new MemoKey(format.id(), upstreams.stream().map(Upstream::id).toList(), ref.path());
        Memo memo = memos.getIfPresent(key);
        if (memo != null && memo.freshUntil().isAfter(clock.instant())) {
            return Future.succeededFuture(memo.merged());
        }
        return gather(upstreams, format, ref, caller).compose(gathered -> {
            if (!gathered.parts.isEmpty()) {
                return merged(() -> format.merge(ref, gathered.parts), gathered.warnings).onSuccess(merged -> {
                    if (gathered.freshUntil != null) {
                        memos.put(key, new Memo(merged, gathered.freshUntil));
                    }
                });
            }
            ArtifactRef fallback = format.fallbackFor(ref);
            boolean nowhere = gathered.failures.stream().allMatch(NegativeCache::isNotFound);
            if (fallback == null || !nowhere) {
                return Future.failedFuture(Failures.combine(ref, gathered.failures));
            }
            return gather(upstreams, format, fallback, caller).compose(derived -> derived.parts.isEmpty()
                    ? Future.failedFuture(Failures.combine(ref, gathered.failures))
                    : merged(() -> format.mergeFallback(ref, derived.parts), derived.warnings));
        });
    }

    /**
     * What every upstream answered for one path: usable parts, warnings about stale ones, and failures; {@code
     * freshUntil} is when the first answer stops being fresh, or {@code null} when any answer was not a fresh one.
     */
    private record Gathered(List<MetadataPart> parts, List<String> warnings, List<Throwable> failures,
                            Instant freshUntil) {
    }

    /** Forgets the merged answers; called whenever configuration or the cache is changed anywhere. */
    public void forgetMerged() {
        memos.invalidateAll();
        negative.forget();
    }

    private Future<Gathered> gather(List<Upstream> upstreams, FormatPlugin format, ArtifactRef ref, Caller caller) {
        return CacheLookup.byUpstream(cache, upstreams, ref.path()).compose(cached -> {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < upstreams.size(); i++) {
                Upstream upstream = upstreams.get(i);
                int position = i + 1;
                answers.add(ask.call(new Ask(null, upstream, format, ref, cached.get(upstream.id()), null, caller))
                        .map(answer -> answer.at(upstream, position))
                        .recover(e -> Future.succeededFuture(new Answer(null, false, e,
                                e instanceof NegativeCache.Miss miss ? miss.freshUntil() : null))));
            }
            return Future.join(answers).transform(ignored -> Future.succeededFuture(collect(upstreams, answers)));
        });
    }

    private static Gathered collect(List<Upstream> upstreams, List<Future<Answer>> answers) {
        List<MetadataPart> parts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        Instant freshUntil = Instant.MAX;
        for (int i = 0; i < answers.size(); i++) {
            Future<Answer> f = answers.get(i);
            Answer answer = f.succeeded() ? f.result() : new Answer(null, false, f.cause(), null);
            freshUntil = answer.freshUntil == null || freshUntil == null ? null
                    : answer.freshUntil.isBefore(freshUntil) ? answer.freshUntil : freshUntil;
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
                if (!NegativeCache.isNotFound(failure)) {
                    warnings.add(failure.getMessage());
                }
            }
        }
        return new Gathered(parts, warnings, failures, warnings.isEmpty() ? freshUntil : null);
    }

    private static Future<Merged> merged(Supplier<Buffer> merge, List<String> warnings) {
        try {
            return Future.succeededFuture(new Merged(merge.get(), warnings));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The cache stage: an upstream's answer still within its metadata validity is used as it is. */
    private UpstreamCall<Answer> freshCache(UpstreamCall<Answer> next) {
        return ask -> {
            CacheEntry cached = ask.cached();
            Duration validity = ask.upstream().metadataValidity();
            if (cached != null && cached.isMetadata() && cached.freshAt(clock.instant(), validity)) {
                return Future.succeededFuture(part(cached.body(), false, until(cached.checkedAt(), validity)));
            }
            return next.call(ask);
        };
    }

    /** An upstream that cannot be reached contributes its last known answer, marked stale. */
    private UpstreamCall<Answer> staleIfError(UpstreamCall<Answer> next) {
        return ask -> next.call(ask).recover(e -> {
            CacheEntry cached = ask.cached();
            if (!NegativeCache.isNotFound(e) && cached != null && cached.isMetadata()) {
                return Future.succeededFuture(part(cached.body(), true, null));
            }
            return Future.failedFuture(e);
        });
    }

    /** Asks the upstream, conditionally when an earlier answer is cached, and caches what it says. */
    private Future<Answer> fetch(Ask ask) {
        Upstream upstream = ask.upstream();
        CacheEntry cached = ask.cached();
        ArtifactRef ref = ask.ref();
        String etag = cached != null && cached.isMetadata() ? cached.upstreamEtag() : null;
        Instant asked = clock.instant();
        return clients.clientFor(upstream).fetch(new ArtifactRequest(ref, etag)).compose(r -> {
            if (r.notModified() && cached != null && cached.isMetadata()) {
                r.discard();
                return cache.touch(cached.id()).map(v -> part(cached.body(), false,
                        until(asked, upstream.metadataValidity())));
            }
            return BodyReader.read(r, maxBytes, upstream.name(), ref.path())
                    .compose(body -> cache.saveMetadata(upstream.id(), ref, body, null, r.etag())
                            .map(saved -> part(body, false, until(asked, upstream.metadataValidity()))));
        });
    }

    /** A part not yet placed: {@link Answer#at} names its upstream and position. */
    private static Answer part(Buffer body, boolean stale, Instant freshUntil) {
        return new Answer(new MetadataPart("", 0, body), stale, null, freshUntil);
    }

    /** The end of a validity that started at {@code from}; {@code null} validity means forever. */
    private static Instant until(Instant from, Duration validity) {
        return validity == null ? Instant.MAX : from.plus(validity);
    }
}
