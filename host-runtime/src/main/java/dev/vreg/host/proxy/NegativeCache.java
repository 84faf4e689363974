package dev.vreg.host.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Misses remembered in the cache: an upstream that answered "not here" for a path is not asked again until the
 * not-found validity has passed, on any node; a fresh miss is recorded, once per flight when wrapped by
 * {@link Coalesce}. The rows expire and are deleted by {@link CacheRepository#deleteExpiredNotFound(Duration)}.
 * A miss fails the call with a {@link Miss}, which says until when the answer holds.
 */
final class NegativeCache<T> implements UpstreamCall.Layer<T> {

    /** "Not here", and until when that answer holds. */
    static final class Miss extends VregException {

        private final transient Instant freshUntil;

        Miss(String message, Instant freshUntil) {
            super(ErrorKind.NOT_FOUND, message);
            this.freshUntil = freshUntil;
        }

        Instant freshUntil() {
            return freshUntil;
        }
    }

    private record Key(long upstreamId, String path) {
    }

    private static final int MAX_RECENT = 100_000;

    private final CacheRepository cache;
    private final Clock clock;
    private final Duration validity;
    /**
     * Misses this node recorded, until they expire: an ask that read the cache just before a flight recorded its miss
     * would otherwise start a flight of its own and ask the upstream a second time.
     */
    private final Cache<Key, Instant> recent;

    NegativeCache(CacheRepository cache, Clock clock, Duration validity) {
        this.cache = cache;
        this.clock = clock;
        this.validity = validity;
        this.recent = CacheBuilder.newBuilder().maximumSize(MAX_RECENT).expireAfterWrite(validity).build();
    }

    /** Whether {@code entry} is a miss still within its validity. */
    boolean remembers(CacheEntry entry) {
        return entry != null && entry.isNotFound() && entry.freshAt(clock.instant(), validity);
    }

    @Override
    public UpstreamCall<T> around(UpstreamCall<T> next) {
        return ask -> {
            CacheEntry known = ask.cached();
            if (remembers(known)) {
                return Future.failedFuture(miss(ask, known.checkedAt().plus(validity)));
            }
            Key key = new Key(ask.upstream().id(), ask.ref().path());
            Instant recorded = recent.getIfPresent(key);
            if (recorded != null && recorded.isAfter(clock.instant())) {
                return Future.failedFuture(miss(ask, recorded));
            }
            Instant asked = clock.instant();
            return next.call(ask).recover(e -> {
                if (!isNotFound(e)) {
                    return Future.failedFuture(e);
                }
                Miss miss = new Miss(e.getMessage(), asked.plus(validity));
                recent.put(key, miss.freshUntil());
                return cache.saveNotFound(ask.upstream().id(), ask.ref()).transform(saved -> Future.failedFuture(miss));
            });
        };
    }

    /** Forgets the misses this node recorded; called whenever configuration or the cache is changed anywhere. */
    void forget() {
        recent.invalidateAll();
    }

    private Miss miss(Ask ask, Instant freshUntil) {
        return new Miss(ask.ref().path() + ": not in upstream " + ask.upstream().name(), freshUntil);
    }

    static boolean isNotFound(Throwable e) {
        return VregException.is(e, ErrorKind.NOT_FOUND) || VregException.is(e, ErrorKind.GONE);
    }
}
