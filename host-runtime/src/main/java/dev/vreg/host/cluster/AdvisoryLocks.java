package dev.vreg.host.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL session-level advisory locks, all held on one connection of their own (one session holds any number),
 * so that holding a lock for the length of a transfer never takes a connection from the request pool. Locks are only
 * ever tried ({@code pg_try_advisory_lock}), never waited for, so no statement blocks on the server either.
 *
 * <p>A lock lives as long as the session that took it: when this node dies, or its connection drops, PostgreSQL
 * releases every lock it held and another node can take them. The connection is opened on first use and opened
 * again, on wherever {@code endpoint} says the server is now, on the first use after it was lost.
 */
public final class AdvisoryLocks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLocks.class);

    /** A lock this node holds, on the session that took it. */
    public record Held(long key, PgConnection session) {
    }

    private final Vertx vertx;
    private final Supplier<PgConnectOptions> endpoint;
    private Future<PgConnection> session;
    private boolean closed;

    public AdvisoryLocks(Vertx vertx, Supplier<PgConnectOptions> endpoint) {
        this.vertx = vertx;
        this.endpoint = endpoint;
    }

    /** The lock on {@code key} if no other session holds it, else {@code null}; fails when the server is away. */
    public Future<Held> tryLock(long key) {
        return session().compose(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1)")
                .execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getBoolean(0) ? new Held(key, conn) : null));
    }

    /**
     * A lock tried together with a read: the lock when it was taken (else null), and what the read answered or why
     * it failed.
     */
    public record Tried<T>(Held held, T read, Throwable readFailure) {
    }

    /**
     * Tries the lock on {@code key} and runs {@code read} on the same session right behind it, in one round trip: the
     * two statements are sent together and the server runs them in order, so the read sees everything committed
     * before the lock was taken, as a read sent after the lock's answer would. The read's answer is only of use when
     * the lock was taken; when it was not, it is left out, failed or not. Fails only when the lock could not be tried.
     */
    public <T> Future<Tried<T>> tryLockThen(long key, Function<SqlClient, Future<T>> read) {
        return session().compose(conn -> {
            Future<Boolean> locked = conn.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(key))
                    .map(rows -> rows.iterator().next().getBoolean(0));
            Future<T> after = read.apply(conn);
            return locked.compose(taken -> after.transform(answer -> Future.succeededFuture(!taken
                    ? new Tried<T>(null, null, null)
                    : new Tried<>(new Held(key, conn), answer.succeeded() ? answer.result() : null,
                            answer.failed() ? answer.cause() : null))));
        });
    }

    /**
     * Gives a lock back. A lock whose session is gone was released by the server already; a failure is only logged,
     * since the session ends with the node at the latest.
     */
    public Future<Void> unlock(Held held) {
        synchronized (this) {
            if (session == null || !session.succeeded() || session.result() != held.session()) {
                return Future.succeededFuture();
            }
        }
        return held.session().preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(held.key()))
                .<Void>mapEmpty()
                .onFailure(e -> LOG.debug("Releasing advisory lock {} failed: {}", held.key(), e.toString()));
    }

    private synchronized Future<PgConnection> session() {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("the advisory lock session is closed"));
        }
        if (session == null || session.failed()) {
            Future<PgConnection> opening = PgConnection.connect(vertx, endpoint.get());
            session = opening;
            opening.onSuccess(conn -> {
                conn.closeHandler(v -> lost(opening));
                conn.exceptionHandler(e -> LOG.debug("The advisory lock session failed: {}", e.toString()));
                synchronized (this) {
                    if (closed) {
                        conn.close();
                    }
                }
            });
        }
        return session;
    }

    private synchronized void lost(Future<PgConnection> which) {
        if (session == which) {
            session = null;
            if (!closed) {
                LOG.info("The advisory lock session was lost; the locks it held are released, a new one opens on "
                        + "next use");
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (session != null && session.succeeded()) {
            session.result().close();
        }
        session = null;
    }
}
