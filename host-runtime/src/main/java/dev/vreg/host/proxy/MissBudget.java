package dev.vreg.host.proxy;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what anonymous clients can make the upstreams do for paths nobody has: each client address may cause at
 * most {@code perMinute} upstream misses a minute in this node. Past that, its asks for paths the cache does not
 * know are answered 429 until the minute is over; cached modules and remembered misses are still served. Callers
 * with a token are not bounded. Two layers: {@link #admit()} outside the flight, and {@link #charge()} inside it,
 * below the negative cache, so only a miss the upstream was really asked for is charged, to the address that asked.
 */
final class MissBudget<T> {

    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_ADDRESSES = 100_000;

    private final int perMinute;
    private final NegativeCache<T> negative;
    private final Cache<String, AtomicInteger> misses = CacheBuilder.newBuilder().maximumSize(MAX_ADDRESSES)
            .expireAfterWrite(WINDOW).build();

    /**
     * @param negative the negative cache, to let through asks it answers without an upstream request
     */
    MissBudget(int perMinute, NegativeCache<T> negative) {
        this.perMinute = perMinute;
        this.negative = negative;
    }

    /** Refuses an anonymous ask that would reach an upstream once its address has used its misses. */
    UpstreamCall.Layer<T> admit() {
        return next -> ask -> {
            if (bounded(ask) && !negative.remembers(ask.cached())) {
                AtomicInteger used = misses.getIfPresent(ask.caller().address());
                if (used != null && used.get() >= perMinute) {
                    return Future.failedFuture(new VregException(ErrorKind.TOO_MANY_REQUESTS,
                            "too many requests for unknown modules from this address; try again in a minute"));
                }
            }
            return next.call(ask);
        };
    }

    /** Counts a miss an upstream was asked for against the asking address. */
    UpstreamCall.Layer<T> charge() {
        return next -> ask -> {
            if (!bounded(ask)) {
                return next.call(ask);
            }
            return next.call(ask).onFailure(e -> {
                if (NegativeCache.isNotFound(e)) {
                    misses.asMap().computeIfAbsent(ask.caller().address(), a -> new AtomicInteger())
                            .incrementAndGet();
                }
            });
        };
    }

    private boolean bounded(Ask ask) {
        return perMinute > 0 && ask.caller().anonymous();
    }
}
