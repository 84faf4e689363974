package dev.vreg.host.proxy;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Remembers, for a short while, that an upstream served a file the format refused (a hostile or corrupt zip).
 * Within that time the refusal is answered again at once instead of downloading the same bad file once more; and a
 * client whose streamed download was broken off by the refusal gets the reason as a 502 when it tries again.
 * Kept in memory: it is a cost saving, not a record, and it ends with the node.
 */
final class RefusedContent<T> implements UpstreamCall.Layer<T> {

    /** Far more than a node sees refused in a validity period; beyond it the oldest knowledge is simply dropped. */
    private static final int MAX_ENTRIES = 10_000;

    private record Key(long upstreamId, String path) {
    }

    private record Refusal(VregException reason, Instant until) {
    }

    private final Clock clock;
    private final Duration validity;
    private final ConcurrentMap<Key, Refusal> refusals = new ConcurrentHashMap<>();

    RefusedContent(Clock clock, Duration validity) {
        this.clock = clock;
        this.validity = validity;
    }

    @Override
    public UpstreamCall<T> around(UpstreamCall<T> next) {
        return ask -> {
            VregException refused = recall(ask.upstream().id(), ask.ref().path());
            if (refused != null) {
                return Future.failedFuture(refused);
            }
            return next.call(ask).onFailure(e -> {
                if (e instanceof VregException invalid && invalid.kind() == ErrorKind.UPSTREAM_INVALID) {
                    remember(ask.upstream().id(), ask.ref().path(), invalid);
                }
            });
        };
    }

    void remember(long upstreamId, String path, VregException reason) {
        if (refusals.size() >= MAX_ENTRIES) {
            Instant now = clock.instant();
            refusals.values().removeIf(r -> !r.until.isAfter(now));
            if (refusals.size() >= MAX_ENTRIES) {
                refusals.clear();
            }
        }
        refusals.put(new Key(upstreamId, path), new Refusal(reason, clock.instant().plus(validity)));
    }

    /** The reason {@code path} from this upstream was refused, while that is still remembered; else null. */
    VregException recall(long upstreamId, String path) {
        Key key = new Key(upstreamId, path);
        Refusal refusal = refusals.get(key);
        if (refusal == null) {
            return null;
        }
        if (!refusal.until.isAfter(clock.instant())) {
            refusals.remove(key, refusal);
            return null;
        }
        return refusal.reason;
    }
}
