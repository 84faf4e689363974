package dev.vreg.host.db;

import dev.vreg.spi.VregException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Tells failures that mean "the database cannot be reached right now" (refused or lost connections, a server
 * shutting down or still recovering) from failures of a statement. The former heal by themselves once the server is
 * back, so callers answer 503 and may serve what they remember instead.
 *
 * <p>A raw connection failure inside the host is a database one: upstream plugins report theirs as
 * {@link VregException}s (the SPI says so), so the search stops at one.
 */
public final class DatabaseFailure {

    /**
     * Connection exceptions (class 08), and the server going away or not yet accepting connections: admin_shutdown,
     * crash_shutdown, cannot_connect_now (starting up or in recovery), too_many_connections.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** What the pool fails a request with when no connection became free in time. */
    private static final String POOL_TIMEOUT = "Timeout waiting for connection";

    private static final int MAX_DEPTH = 10;

    private DatabaseFailure() {
    }

    public static boolean isUnavailable(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof VregException) {
                return false;
            }
            // A refused connection, and one the server reset while a statement was on it (it was stopped or died).
            if (t instanceof ClosedConnectionException || t instanceof SocketException
                    || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || UNAVAILABLE_STATES.contains(pg.getSqlState()))) {
                return true;
            }
            if (t instanceof VertxException && t.getMessage() != null && t.getMessage().startsWith(POOL_TIMEOUT)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
