package dev.vreg.host.cli;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.Migrations;
import dev.vreg.host.db.postgres.DataDirInUseException;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.db.postgres.RunningEmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
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

    /** What a command does with the connection; returns its exit code. */
    @FunctionalInterface
    interface Work {
        int run(Connection connection) throws SQLException;
    }

    /** What a command does with the connection and the rest of the configuration; returns its exit code. */
    @FunctionalInterface
    interface ConfiguredWork {
        int run(VregConfig config, Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final EmbeddedPostgres started;

    private CommandDatabase(Connection connection, EmbeddedPostgres started) {
        this.connection = connection;
        this.started = started;
    }

    /**
     * Runs {@code work} on the configured database and turns failures into a message on standard error and an exit
     * code: 2 for configuration mistakes, 1 for everything else.
     *
     * @param apiAlternative the admin API call that does the same, named when a running vreg is in the way
     */
    static int run(ConfigOptions options, CommandSpec spec, String apiAlternative, Work work) {
        return run(options, spec, apiAlternative, (config, connection) -> work.run(connection));
    }

    /** Like {@link #run(ConfigOptions, CommandSpec, String, Work)}, for work that needs more than the database. */
    static int run(ConfigOptions options, CommandSpec spec, String apiAlternative, ConfiguredWork work) {
        PrintWriter err = spec.commandLine().getErr();
        try (LogToStderr logs = LogToStderr.redirect()) {
            VregConfig config = options.load();
            try (CommandDatabase database = open(config, apiAlternative)) {
                return work.run(config, database.connection);
            }
        } catch (ConfigException e) {
            err.println("vreg: " + e.getMessage());
            return 2;
        } catch (CommandFailure e) {
            err.println("vreg: " + e.getMessage());
            return 1;
        } catch (SQLException e) {
            err.println("vreg: database error: " + e.getMessage());
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

    private static CommandDatabase open(VregConfig config, String apiAlternative) throws IOException, SQLException {
        if (config.database.url != null && !config.database.url.isBlank()) {
            return new CommandDatabase(connect(DatabaseEndpoint.fromUrl(config.database.url)), null);
        }
        Path dataDir = config.dataDir.toAbsolutePath().normalize();
        if (!EmbeddedPostgres.exists(dataDir)) {
            throw new CommandFailure("there is no vreg database in " + dataDir + "; give this command the same "
                    + "--config, --data-dir or --database-url as 'vreg run'");
        }
        EmbeddedPostgres embedded;
        try {
            embedded = EmbeddedPostgres.start(dataDir);
        } catch (DataDirInUseException e) {
            return attach(dataDir, apiAlternative);
        }
        try {
            DatabaseEndpoint endpoint = new DatabaseEndpoint(embedded.host(), embedded.port(), embedded.database(),
                    embedded.user(), embedded.password());
            Migrations.migrate(endpoint);
            return new CommandDatabase(connect(endpoint), embedded);
        } catch (SQLException | RuntimeException | Error e) {
            embedded.close();
            throw e;
        }
    }

    private static CommandDatabase attach(Path dataDir, String apiAlternative) throws SQLException {
        RunningEmbeddedPostgres running;
        try {
            running = RunningEmbeddedPostgres.find(dataDir);
        } catch (IOException e) {
            throw new CommandFailure("a running vreg holds the data directory " + dataDir + ", and its embedded "
                    + "PostgreSQL cannot be reached: " + e.getMessage() + ". Use the admin API instead ("
                    + apiAlternative + ", with a token of the instance admin), or stop vreg and run this command "
                    + "again.");
        }
        return new CommandDatabase(connect(new DatabaseEndpoint(running.host(), running.port(), running.database(),
                running.user(), running.password())), null);
    }

    private static Connection connect(DatabaseEndpoint endpoint) throws SQLException {
        Properties properties = new Properties();
        if (endpoint.user() != null) {
            properties.setProperty("user", endpoint.user());
        }
        if (endpoint.password() != null) {
            properties.setProperty("password", endpoint.password());
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("ApplicationName", "vreg cli");
        // A server error's detail can quote the row, and token rows hold hashes.
        properties.setProperty("logServerErrorDetail", "false");
        // The driver is called directly: DriverManager only sees drivers visible to the caller's class loader.
        return new org.postgresql.Driver().connect(endpoint.jdbcUrl(), properties);
    }

    /** Tells every running node to drop its cached token lookups, then commits; NOTIFY is delivered on commit. */
    static void commitAndNotifyAuth(Connection connection) throws SQLException {
        try (Statement notify = connection.createStatement()) {
            notify.execute("NOTIFY vreg_auth");
        }
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.close();
        } finally {
            if (started != null) {
                started.close();
            }
        }
    }
}
