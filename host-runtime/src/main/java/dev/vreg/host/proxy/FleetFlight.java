package dev.vreg.host.proxy;

import dev.vreg.host.vertx.CallerContext;

import dev.vreg.host.cache.CacheEntry;
import dev.vreg.host.cache.CacheRepository;
import dev.vreg.host.cluster.AdvisoryLocks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most one fetch per (upstream, path) across every node on the database: a fetch runs while its node holds a
 * PostgreSQL advisory lock on the pair ({@link AdvisoryLocks}). A node that finds the lock taken polls for it, with
 * backoff, for at most {@code maxWait}; once it has the lock it looks at the cache again, and serves the entry the
 * holder committed meanwhile rather than fetching. A holder that dies loses its session and with it the lock, so a
 * waiter takes it and, finding nothing committed, fetches itself.
 *
 * <p>The cache is looked at again by every node that takes the lock, first try or not: a node may have looked before
 * another committed and released. That read travels with the lock's own statement, on the lock's session, in one
 * round trip ({@link AdvisoryLocks#tryLockThen}). It sits inside the node's own {@link Coalesce}, so each node asks the database
 * once per flight. When the database cannot be asked for the lock, or the wait passes {@code maxWait}, the node
 * fetches without it: a second fetch is better than none, and the cache's commit takes either copy.
 */
final class FleetFlight<T> implements UpstreamCall.Layer<T> {

    private static final Logger LOG = LoggerFactory.getLogger(FleetFlight.class);
    private static final long FIRST_POLL_MILLIS = 20;
    private static final long MAX_POLL_MILLIS = 500;

    private final Vertx vertx;
    private final AdvisoryLocks locks;
    private final CacheRepository cache;
    private final Clock clock;
    private final Duration maxWait;
    private final BiFunction<Ask, CacheEntry, T> committedElsewhere;

    /**
     * @param committedElsewhere the answer to an ask made of the entry another node committed while this one waited
     *                           (the ask counts as one that shared a fetch)
     */
    FleetFlight(Vertx vertx, AdvisoryLocks locks, CacheRepository cache, Clock clock, Duration maxWait,
                BiFunction<Ask, CacheEntry, T> committedElsewhere) {
        this.vertx = vertx;
        this.locks = locks;
        this.cache = cache;
        this.clock = clock;
        this.maxWait = maxWait;
        this.committedElsewhere = committedElsewhere;
    }

    @Override
    public UpstreamCall<T> around(UpstreamCall<T> next) {
        return ask -> CallerContext.bind(attempt(ask, next, key(ask.upstream().id(), ask.ref().path()),
                clock.instant().plus(maxWait), FIRST_POLL_MILLIS));
    }

    private Future<T> attempt(Ask ask, UpstreamCall<T> next, long key, Instant giveUpAt, long pollMillis) {
        // The lock session answers on its own context; the fetch and every line it logs belong to the asking request.
        // The cache is read on the lock's session in the same round trip, right after the lock is taken.
        return CallerContext.bind(locks.tryLockThen(key,
                session -> cache.findOn(session, ask.upstream().id(), ask.ref().path()))).transform(tried -> {
            if (tried.failed()) {
                LOG.debug("No advisory lock for {} ({}); fetching without it", ask.ref().path(),
                        tried.cause().toString());
                return next.call(ask);
            }
            AdvisoryLocks.Held held = tried.result().held();
            if (held == null) {
                if (!clock.instant().isBefore(giveUpAt)) {
                    LOG.warn("Another node has been fetching {} from upstream {} for longer than {}; fetching it "
                            + "here as well", ask.ref().path(), ask.upstream().name(), maxWait);
                    return next.call(ask);
                }
                Promise<Void> later = Promise.promise();
                vertx.setTimer(pollMillis, id -> later.complete());
                return later.future().compose(v -> attempt(ask, next, key, giveUpAt,
                        Math.min(pollMillis * 2, MAX_POLL_MILLIS)));
            }
            Future<T> answer;
            if (tried.result().readFailure() != null) {
                answer = Future.failedFuture(tried.result().readFailure());
            } else {
                try {
                    CacheEntry entry = committed(ask, tried.result().read());
                    answer = entry != null ? Future.succeededFuture(committedElsewhere.apply(ask, entry))
                            : next.call(ask);
                } catch (RuntimeException e) {
                    answer = Future.failedFuture(e);
                }
            }
            return answer.eventually(() -> CallerContext.bind(locks.unlock(held)));
        });
    }

    /**
     * The entry committed for the ask's path since the ask looked, when it is one to serve: content, fresh, and not
     * the very row the ask already saw and chose to fetch past (stale, or its blob missing).
     */
    private CacheEntry committed(Ask ask, Optional<CacheEntry> found) {
        if (found.isEmpty()) {
            return null;
        }
        CacheEntry entry = found.get();
        if (!entry.isContent() || !entry.freshAt(clock.instant(), ask.upstream().contentValidity())) {
            return null;
        }
        CacheEntry seen = ask.cached();
        if (seen != null && seen.id() == entry.id() && seen.createdAt().equals(entry.createdAt())
                && seen.checkedAt().equals(entry.checkedAt()) && seen.blobDigest() != null
                && seen.blobDigest().equals(entry.blobDigest())) {
            return null;
        }
        return entry;
    }

    /** The advisory lock key of a fetch: 64 bits of the SHA-256 of the upstream id and the path. */
    static long key(long upstreamId, String path) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("vreg-fetch\0" + upstreamId + "\0" + path).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                key = (key << 8) | (hash[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
