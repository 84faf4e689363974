package dev.vreg.host.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection that LISTENs on the channels other nodes NOTIFY when they change configuration or identities, kept
 * open for the node's lifetime: when it is lost (the server restarted, the network broke) it is opened again with
 * backoff, on wherever {@code endpoint} says the server is now. Notifications sent meanwhile are lost, so every
 * reconnect runs {@code resync}, which drops what the channels would have dropped.
 */
public final class ChangeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

    private static final long FIRST_RETRY_MILLIS = 250;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private final Vertx vertx;
    private final Supplier<PgConnectOptions> endpoint;
    private final Map<String, Runnable> channels;
    private final Runnable resync;
    private volatile boolean closed;
    private volatile PgConnection connection;
    private volatile long retryMillis = FIRST_RETRY_MILLIS;
    private volatile long timer = -1;

    /**
     * @param channels what to run on a notification, by channel name (lower-case identifiers)
     */
    public ChangeListener(Vertx vertx, Supplier<PgConnectOptions> endpoint, Map<String, Runnable> channels,
                          Runnable resync) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.channels = Map.copyOf(channels);
        this.resync = resync;
    }

    /** Connects for the first time; fails when the database cannot be reached now. */
    public Future<Void> start() {
        return listen();
    }

    private Future<Void> listen() {
        return PgConnection.connect(vertx, endpoint.get()).compose(conn -> {
            conn.notificationHandler(n -> {
                Runnable handler = channels.get(n.getChannel());
                if (handler != null) {
                    handler.run();
                }
            });
            conn.closeHandler(v -> lost(conn));
            // The server says why it drops the connection (shutting down, crashed); the close says enough.
            conn.exceptionHandler(e -> LOG.debug("The listening connection failed: {}", e.toString()));
            StringBuilder sql = new StringBuilder();
            channels.keySet().forEach(channel -> sql.append("LISTEN ").append(channel).append(';'));
            return conn.query(sql.toString()).execute()
                    .onFailure(e -> conn.close())
                    .map(rows -> {
                        connection = conn;
                        if (closed) {
                            conn.close();
                        }
                        return null;
                    });
        });
    }

    /** Only a connection that was listening counts; one lost while still setting up fails its attempt instead. */
    private void lost(PgConnection conn) {
        if (connection != conn) {
            return;
        }
        connection = null;
        if (closed) {
            return;
        }
        LOG.warn("The connection listening for configuration changes was lost; reconnecting");
        retry();
    }

    private void retry() {
        timer = vertx.setTimer(retryMillis, id -> {
            if (closed) {
                return;
            }
            listen().onSuccess(v -> {
                retryMillis = FIRST_RETRY_MILLIS;
                LOG.info("Listening for configuration changes again; dropping what was remembered meanwhile");
                resync.run();
            }).onFailure(e -> {
                retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
                LOG.debug("Reconnecting for configuration changes failed: {}", e.toString());
                retry();
            });
        });
    }

    @Override
    public void close() {
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        PgConnection open = connection;
        if (open != null) {
            open.close();
        }
    }
}
