package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The embedded PostgreSQL server that a running vreg drives on a data directory, for tools that work beside that vreg
 * instead of stopping it. It is found only from what the launcher and PostgreSQL leave in the directory, and only
 * when every fact agrees: {@code postmaster.pid} names a live postmaster for exactly this cluster, ready and listening
 * on 127.0.0.1; the login is the one in {@code postgres.password}, which only vreg's own account (or root) can read;
 * and the server reached reports this cluster as its data directory. Nothing is started, stopped or changed: the
 * tool is one more client of the server, like the vreg that runs it.
 */
public final class RunningEmbeddedPostgres {

    private static final int PID_LINE_PORT = 3;
    private static final int PID_LINE_LISTEN_ADDRESS = 5;
    private static final int PID_LINE_STATUS = 7;

    private final int port;
    private final String password;

    private RunningEmbeddedPostgres(int port, String password) {
        this.port = port;
        this.password = password;
    }

    /**
     * The server running on {@code dataDir}. Blocking.
     *
     * @throws IOException saying why no server could be reached there
     */
    public static RunningEmbeddedPostgres find(Path dataDir) throws IOException {
        Path dir = dataDir.toRealPath();
        Path pgData = dir.resolve(EmbeddedPostgres.CLUSTER_DIR);
        List<String> pidFile = readPidFile(pgData);
        long pid;
        int port;
        try {
            pid = Long.parseLong(pidFile.get(0).trim());
            port = Integer.parseInt(pidFile.get(PID_LINE_PORT).trim());
        } catch (NumberFormatException e) {
            throw new IOException(pgData.resolve("postmaster.pid") + " is incomplete; the server may be starting");
        }
        if (!PostmasterPid.isServerFor(pid, pgData)) {
            throw new IOException("no PostgreSQL server is running on " + pgData + " (vreg may be starting or "
                    + "stopping)");
        }
        String status = pidFile.get(PID_LINE_STATUS).trim();
        if (!status.equals("ready")) {
            throw new IOException("the PostgreSQL server on " + pgData + " is not ready (" + status + ")");
        }
        String address = pidFile.get(PID_LINE_LISTEN_ADDRESS).trim();
        if (!address.equals(EmbeddedPostgres.HOST)) {
            throw new IOException("the PostgreSQL server on " + pgData + " listens on '" + address + "', not on "
                    + EmbeddedPostgres.HOST + " as vreg's embedded server does");
        }
        RunningEmbeddedPostgres server = new RunningEmbeddedPostgres(port, readPassword(dir));
        server.requireCluster(pgData);
        return server;
    }

    private static List<String> readPidFile(Path pgData) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("no PostgreSQL server is running on " + pgData + " (vreg may be starting or "
                    + "stopping)");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + e.getFile() + "; run this command as the user vreg runs as");
        }
        if (lines.size() <= PID_LINE_STATUS) {
            throw new IOException(pgData.resolve("postmaster.pid") + " is incomplete; the server may be starting");
        }
        return lines;
    }

    private static String readPassword(Path dir) throws IOException {
        Path file = dir.resolve(EmbeddedPostgres.PASSWORD_FILE);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + "; run this command as the user vreg runs as");
        } catch (NoSuchFileException e) {
            throw new IOException("the password file " + file + " is missing");
        }
    }

    /** The port could have changed hands since postmaster.pid was read; the server itself says which cluster it is. */
    private void requireCluster(Path pgData) throws IOException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW data_directory")) {
            String served = rows.next() ? rows.getString(1) : null;
            if (!pgData.toString().equals(served)) {
                throw new IOException("the server on " + EmbeddedPostgres.HOST + ":" + port + " serves " + served
                        + ", not " + pgData);
            }
        } catch (SQLException e) {
            throw new IOException("cannot connect to the PostgreSQL server on " + EmbeddedPostgres.HOST + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user());
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        // The driver is called directly: DriverManager only sees drivers visible to the caller's class loader.
        return new org.postgresql.Driver().connect(jdbcUrl(), properties);
    }

    public String host() {
        return EmbeddedPostgres.HOST;
    }

    public int port() {
        return port;
    }

    public String user() {
        return EmbeddedPostgres.SUPERUSER;
    }

    public String password() {
        return password;
    }

    public String database() {
        return EmbeddedPostgres.DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + EmbeddedPostgres.HOST + ":" + port + "/" + EmbeddedPostgres.DATABASE;
    }
}
