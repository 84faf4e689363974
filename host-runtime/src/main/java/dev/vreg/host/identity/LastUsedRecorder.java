package dev.vreg.host.identity;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers when each token was last used and writes that in batches, so authenticating a request never costs a
 * database write.
 */
public final class LastUsedRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LastUsedRecorder.class);

    private final Vertx vertx;
    private final TokenStore tokens;
    private final long timerId;
    private final ConcurrentHashMap<Long, Instant> pending = new ConcurrentHashMap<>();

    public LastUsedRecorder(Vertx vertx, TokenStore tokens, long flushIntervalMillis) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.timerId = vertx.setPeriodic(flushIntervalMillis, id -> flush());
    }

    public void record(long tokenId, Instant at) {
        pending.merge(tokenId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes what has been recorded so far. */
    public Future<Void> flush() {
        Map<Long, Instant> batch = new HashMap<>();
        for (Long id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        return tokens.touch(batch)
                .onFailure(e -> LOG.warn("Could not record last use of {} token(s): {}", batch.size(), e.getMessage()));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timerId);
    }
}
