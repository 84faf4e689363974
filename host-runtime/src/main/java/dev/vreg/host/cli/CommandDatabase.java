package dev.vreg.host.cli;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.Migrations;
import dev.vreg.host.db.postgres.DataDirInUseException;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.db.postgres.RunningEmbeddedPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.api.FlywayException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * vreg's database for a command that works on the data directly, so an operator can act when the API cannot help.
 * It is the configured external database; else the embedded one: started for the command and stopped after it when
 * no vreg holds the data directory, or, when a running vreg holds it, the server that vreg drives, if that can be
 * reached safely ({@link RunningEmbeddedPostgres}). Otherwise the command fails and points to the admin API.
 * Migrations run only on a server the command started itself, as {@code vreg run} would; a database that running
 * nodes serve keeps the schema they migrated it to.
 */
final class CommandDatabase implements AutoCloseable {

    /** What a command does with the database; returns its exit code. */
    @FunctionalInterface
    interface Work {
        int run(Pool pool);
    }

    /** What a command does with the database and the rest of the configuration; returns its exit code. */
    @FunctionalInterface
    interface ConfiguredWork {
        int run(VregConfig config, Pool pool);
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long one answer of the database may take, as long as a read on the server's socket may. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Pool pool;
    private final EmbeddedPostgres started;

    private CommandDatabase(DatabaseEndpoint endpoint, EmbeddedPostgres started) {
        PgConnectOptions connect = endpoint.connectOptions();
        connect.addProperty("application_name", "vreg cli");
        this.vertx = Vertx.vertx();
        this.pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1).setName("vreg-cli"))
                .with(new NetClientOptions().setConnectTimeout((int) CONNECT_TIMEOUT.toMillis()))
                .connectingTo(connect)
                .using(vertx)
                .build();
        this.started = started;
    }

    /**
     * Runs {@code work} on the configured database and turns failures into a message on standard error and an exit
     * code: 2 for configuration mistakes, 1 for everything else.
     *
     * @param apiAlternative the admin API call that does the same, named when a running vreg is in the way
     */
    static int run(ConfigOptions options, CommandSpec spec, String apiAlternative, Work work) {
        return run(options, spec, apiAlternative, (config, pool) -> work.run(pool));
    }

    /** Like {@link #run(ConfigOptions, CommandSpec, String, Work)}, for work that needs more than the database. */
    static int run(ConfigOptions options, CommandSpec spec, String apiAlternative, ConfiguredWork work) {
        PrintWriter err = spec.commandLine().getErr();
        try (LogToStderr logs = LogToStderr.redirect()) {
            VregConfig config = options.load();
            try (CommandDatabase database = open(config, apiAlternative)) {
                return work.run(config, database.pool);
            }
        } catch (ConfigException e) {
            err.println("vreg: " + e.getMessage());
            return 2;
        } catch (CommandFailure e) {
            err.println("vreg: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("vreg: the embedded PostgreSQL could not be started: " + e.getMessage());
            return 1;
        } catch (FlywayException e) {
            err.println("vreg: the database schema could not be brought up to date: " + e.getMessage());
            return 1;
        } finally {
            err.flush();
        }
    }

    private static CommandDatabase open(VregConfig config, String apiAlternative) throws IOException {
        if (config.database.url != null && !config.database.url.isBlank()) {
            return new CommandDatabase(DatabaseEndpoint.fromConfig(config.database), null);
        }
        Path dataDir = config.dataDir.toAbsolutePath().normalize();
        if (!EmbeddedPostgres.exists(dataDir)) {
            throw new CommandFailure("there is no vreg database in " + dataDir + "; give this command the same "
                    + "--config, --data-dir or --database-url as 'vreg run'");
        }
        EmbeddedPostgres embedded;
        try {
            embedded = EmbeddedPostgres.start(dataDir, config.database.embeddedBinaries);
        } catch (DataDirInUseException e) {
            return attach(dataDir, apiAlternative);
        }
        try {
            DatabaseEndpoint endpoint = new DatabaseEndpoint(embedded.host(), embedded.port(), embedded.database(),
                    embedded.user(), embedded.password());
            Migrations.migrate(endpoint);
            return new CommandDatabase(endpoint, embedded);
        } catch (RuntimeException | Error e) {
            embedded.close();
            throw e;
        }
    }

    private static CommandDatabase attach(Path dataDir, String apiAlternative) {
        RunningEmbeddedPostgres running;
        try {
            running = RunningEmbeddedPostgres.find(dataDir);
        } catch (IOException e) {
            throw new CommandFailure("a running vreg holds the data directory " + dataDir + ", and its embedded "
                    + "PostgreSQL cannot be reached: " + e.getMessage() + ". Use the admin API instead ("
                    + apiAlternative + ", with a token of the instance admin), or stop vreg and run this command "
                    + "again.");
        }
        return new CommandDatabase(new DatabaseEndpoint(running.host(), running.port(), running.database(),
                running.user(), running.password()), null);
    }

    /**
     * What {@code future} (a database call on the command's pool) answers, waited for. A failure of the database
     * becomes a {@link CommandFailure} that says so; a {@code CommandFailure} the call raised stays as it is.
     */
    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandFailure failure) {
                throw failure;
            }
            // A server error's message leaves out its detail, which can quote the row (and token rows hold hashes).
            throw new CommandFailure("database error: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new CommandFailure("database error: no answer within " + ANSWER_TIMEOUT.toSeconds() + " seconds");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while waiting for the database");
        }
    }

    @Override
    public void close() {
        try {
            awaitQuietly(pool.close());
            awaitQuietly(vertx.close());
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }

    private static void awaitQuietly(Future<Void> closing) {
        try {
            closing.toCompletionStage().toCompletableFuture().get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Nothing is left to do with the database; the process ends soon after.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
