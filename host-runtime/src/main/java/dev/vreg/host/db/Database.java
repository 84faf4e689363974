package dev.vreg.host.db;

import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.db.postgres.EmbeddedSupervisor;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The node's PostgreSQL: a configured external server, which vreg only reconnects to when it comes back; or the
 * embedded server, which vreg runs, watches and restarts when it dies. Connections ask {@link #connectOptions()}
 * each time they open, so they follow the embedded server should a restart move it to another port.
 */
public final class Database implements AutoCloseable {

    private final DatabaseEndpoint external;
    private final EmbeddedPostgres embedded;
    private final DatabaseHealth health;
    private final EmbeddedSupervisor supervisor;

    private Database(DatabaseEndpoint external, EmbeddedPostgres embedded, DatabaseHealth health,
                     EmbeddedSupervisor supervisor) {
        this.external = external;
        this.embedded = embedded;
        this.health = health;
        this.supervisor = supervisor;
    }

    public static Database external(DatabaseEndpoint endpoint) {
        return new Database(endpoint, null, new DatabaseHealth(), null);
    }

    /**
     * Starts the embedded server for {@code dataDir} and its supervisor. Blocking.
     *
     * @param binaries where the server's binaries are unpacked; {@code <dataDir>/pg-dist} when null
     * @param giveUpAfter how long the server may stay down, restarts failing, before the node counts as failed
     */
    public static Database embedded(Path dataDir, Path binaries, Duration giveUpAfter) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir, binaries);
        DatabaseHealth health = new DatabaseHealth();
        return new Database(null, postgres, health, EmbeddedSupervisor.start(postgres, health, giveUpAfter));
    }

    /** Where the server is now. */
    public DatabaseEndpoint endpoint() {
        return embedded == null ? external : new DatabaseEndpoint(embedded.host(), embedded.port(),
                embedded.database(), embedded.user(), embedded.password());
    }

    public PgConnectOptions connectOptions() {
        return endpoint().connectOptions();
    }

    public DatabaseHealth health() {
        return health;
    }

    /** The embedded server, or {@code null} when the database is an external one. */
    public EmbeddedPostgres embedded() {
        return embedded;
    }

    /** Stops the supervisor before the embedded server, so the server's stop is not taken for a crash. */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
