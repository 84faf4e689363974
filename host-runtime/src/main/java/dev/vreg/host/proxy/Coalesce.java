package dev.vreg.host.proxy;

import dev.vreg.host.cache.CacheEntry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * At most one call per (upstream, path) in flight in this node: the first ask leads and goes on to the wrapped call;
 * asks arriving meanwhile share its outcome, seen through {@code asFollower} (a follower did not, for instance,
 * receive the leader's streamed body). Everything inside this layer runs once per flight.
 *
 * <p>Only asks that saw the same cached row share a flight. An ask that found a row and passes over it (its blob is
 * gone or damaged) must not be handed that very row back by a flight that began before the row existed, and is
 * still finishing (releasing its fleet lock) after committing it; it leads a flight of its own instead.
 */
final class Coalesce<T> implements UpstreamCall.Layer<T> {

    private record Key(long upstreamId, String path, long seenId, Instant seenCheckedAt) {

        static Key of(Ask ask) {
            CacheEntry seen = ask.cached();
            return seen == null
                    ? new Key(ask.upstream().id(), ask.ref().path(), 0, null)
                    : new Key(ask.upstream().id(), ask.ref().path(), seen.id(), seen.checkedAt());
        }
    }

    private final SingleFlight<Key, T> flights = new SingleFlight<>();
    private final UnaryOperator<T> asFollower;
    private final Consumer<Ask> waited;

    Coalesce(UnaryOperator<T> asFollower) {
        this(asFollower, ask -> {
        });
    }

    /** @param waited told of each ask that follows a flight in flight */
    Coalesce(UnaryOperator<T> asFollower, Consumer<Ask> waited) {
        this.asFollower = asFollower;
        this.waited = waited;
    }

    @Override
    public UpstreamCall<T> around(UpstreamCall<T> next) {
        return ask -> {
            boolean[] led = new boolean[1];
            Future<T> shared = flights.run(Key.of(ask), leader -> {
                led[0] = true;
                return next.call(ask);
            });
            if (led[0]) {
                return shared;
            }
            waited.accept(ask);
            return shared.map(asFollower::apply);
        };
    }

    /** Calls in flight in this node, for metrics. */
    int inFlight() {
        return flights.size();
    }
}
