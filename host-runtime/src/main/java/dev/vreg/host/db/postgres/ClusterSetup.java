package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Properties;
import java.util.stream.Stream;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the cluster on first start and the application database once the server runs. The superuser's password
 * is generated here and kept in {@code <dataDir>/postgres.password} (0600, vreg's user): with SCRAM on loopback, other
 * local users cannot connect, which trust authentication would allow.
 */
final class ClusterSetup {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);

    /**
     * How often SCRAM hashes the password at each connection. PostgreSQL's default, 4096, slows guessing of weak
     * passwords; this one is 192 random bits that no guessing finds, while 4096 rounds cost every connection tens of
     * milliseconds, and more than 100 in a JVM that has just started and opens its first connections.
     */
    static final int SCRAM_ITERATIONS = 1;

    private ClusterSetup() {
    }

    /**
     * Initialises {@code pgData} unless it already holds a cluster, and returns the superuser password. initdb works
     * in a staging directory that is renamed into place only when complete, so an interrupted first start leaves
     * nothing that looks like a cluster.
     */
    static String ensureCluster(PgCtl ctl, ServerAccount account, Path passwordFile, String superuser)
            throws IOException {
        Path pgData = ctl.pgData();
        if (Files.isRegularFile(pgData.resolve("PG_VERSION"))) {
            if (!Files.isRegularFile(passwordFile)) {
                throw new IOException("The embedded PostgreSQL cluster " + pgData + " exists but its password file "
                        + passwordFile + " is missing. Restore the file, or delete " + pgData + " to start over with"
                        + " an empty database.");
            }
            account.ownTree(pgData);
            return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        }
        if (Files.exists(pgData)) {
            try (Stream<Path> entries = Files.list(pgData)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(pgData + " exists but holds no PostgreSQL cluster (no PG_VERSION); move it"
                            + " away so vreg can create a new one.");
                }
            }
            Files.delete(pgData);
        }
        Path staging = pgData.resolveSibling(pgData.getFileName() + ".initdb");
        PgDistribution.deleteIfPresent(staging);
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(ServerAccount.privateMode(true)));
        account.own(staging);
        String password = newPassword();
        Path initdbPassword = staging.resolve("password");
        writePrivate(initdbPassword, password);
        account.own(initdbPassword);

        LOG.info("Creating the PostgreSQL cluster in {}", pgData);
        Path stagedData = staging.resolve("data");
        ctl.initdb(stagedData, initdbPassword, superuser);
        writePrivate(passwordFile, password);
        Files.move(stagedData, pgData, StandardCopyOption.ATOMIC_MOVE);
        PgDistribution.deleteIfPresent(staging);
        return password;
    }

    /**
     * Creates {@code database} unless it exists, and stores the password's verifier with {@link #SCRAM_ITERATIONS};
     * run on every start, so a crash right after initdb heals itself.
     */
    static void ensureDatabase(int port, String user, String password, String database) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        // The driver is called directly: DriverManager only sees drivers visible to the caller's class loader.
        try (Connection connection = new org.postgresql.Driver().connect(url, properties);
                PreparedStatement exists = connection.prepareStatement(
                        "SELECT 1 FROM pg_database WHERE datname = ?")) {
            storeLightVerifier(connection, password);
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            LOG.info("Creating the database {}", database);
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IOException("cannot create the database " + database + " on the embedded PostgreSQL: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Replaces a verifier of another iteration count (initdb's, PostgreSQL's default 4096) by one of
     * {@link #SCRAM_ITERATIONS}. The verifier is computed here, so the password itself is not sent.
     */
    private static void storeLightVerifier(Connection connection, String password) throws SQLException {
        try (PreparedStatement stored = connection.prepareStatement(
                "SELECT rolpassword FROM pg_authid WHERE rolname = current_user");
                ResultSet rows = stored.executeQuery()) {
            if (!rows.next() || String.valueOf(rows.getString(1)).startsWith(
                    "SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":")) {
                return;
            }
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray(), SCRAM_ITERATIONS, salt);
        try (Statement alter = connection.createStatement()) {
            alter.execute("ALTER ROLE CURRENT_USER PASSWORD '" + verifier + "'");
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Written to a temporary name with owner-only permissions from the start, then renamed over the target. */
    private static void writePrivate(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(ServerAccount.privateMode(false)));
        Files.writeString(temp, content + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
