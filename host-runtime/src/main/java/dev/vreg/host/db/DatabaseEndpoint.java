package dev.vreg.host.db;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the PostgreSQL server is, how to log in and whether to speak TLS to it: from a
 * {@code postgresql://user:password@host:port/db} URL with the {@code database.*} settings beside it, or from the
 * embedded server. {@link #toString()} never prints the password.
 *
 * @param sslMode {@code disable}, {@code require} (encrypted, the server's certificate not checked, as libpq's
 *                {@code require} without a root certificate) or {@code verify-full} (encrypted, the certificate
 *                checked against {@code sslRootCert} and the host name against the certificate)
 * @param sslRootCert the PEM file of the certificate authorities verify-full trusts
 */
public record DatabaseEndpoint(String host, int port, String database, String user, String password, String sslMode,
                               Path sslRootCert) {

    public static final String DISABLE = "disable";
    public static final String REQUIRE = "require";
    public static final String VERIFY_FULL = "verify-full";

    public DatabaseEndpoint(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, DISABLE, null);
    }

    public DatabaseEndpoint {
        sslMode = sslMode == null ? DISABLE : sslMode.trim().toLowerCase(Locale.ROOT);
        if (!sslMode.equals(DISABLE) && !sslMode.equals(REQUIRE) && !sslMode.equals(VERIFY_FULL)) {
            throw new ConfigException("database.sslMode (VREG_DATABASE_SSL_MODE) must be disable, require or "
                    + "verify-full, got '" + sslMode + "'");
        }
        if (sslMode.equals(VERIFY_FULL) && sslRootCert == null) {
            throw new ConfigException("database.sslMode verify-full needs database.sslRootCert "
                    + "(VREG_DATABASE_SSL_ROOT_CERT), the PEM file of the authority that signed the server's "
                    + "certificate");
        }
    }

    public static DatabaseEndpoint fromUrl(String url) {
        PgConnectOptions options;
        try {
            options = PgConnectOptions.fromUri(url);
        } catch (RuntimeException e) {
            throw new ConfigException("database URL is not of the form postgresql://user:password@host:port/database");
        }
        return new DatabaseEndpoint(options.getHost(), options.getPort(), options.getDatabase(), options.getUser(),
                options.getPassword());
    }

    /**
     * The external server {@code database} configures: its URL, with {@code user} and {@code password} taking the
     * place of those in the URL when set, and its TLS settings.
     */
    public static DatabaseEndpoint fromConfig(VregConfig.Database database) {
        DatabaseEndpoint url = fromUrl(database.url);
        String user = blank(database.user) ? url.user() : database.user;
        String password = blank(database.password) ? url.password() : database.password;
        return new DatabaseEndpoint(url.host(), url.port(), url.database(), user, password, database.sslMode,
                database.sslRootCert);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    public PgConnectOptions connectOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setCachePreparedStatements(true)
                .setPipeliningLimit(64);
        if (password != null) {
            options.setPassword(password);
        }
        if (!sslMode.equals(DISABLE)) {
            ClientSSLOptions ssl = new ClientSSLOptions();
            if (sslMode.equals(VERIFY_FULL)) {
                // The chain against the configured authority, the host name as HTTPS checks it.
                ssl.setTrustOptions(new PemTrustOptions().addCertPath(sslRootCert.toString()))
                        .setHostnameVerificationAlgorithm("HTTPS");
            } else {
                ssl.setTrustAll(true).setHostnameVerificationAlgorithm("");
            }
            options.setSslMode(sslMode.equals(VERIFY_FULL) ? SslMode.VERIFY_FULL : SslMode.REQUIRE)
                    .setSslOptions(ssl);
        }
        return options;
    }

    /** For JDBC (migrations, commands): the same server and TLS settings, without the credentials. */
    public String jdbcUrl() {
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
        if (sslMode.equals(VERIFY_FULL)) {
            url += "&sslrootcert=" + URLEncoder.encode(sslRootCert.toString(), StandardCharsets.UTF_8);
        }
        return url;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database
                + (sslMode.equals(DISABLE) ? "" : "?sslmode=" + sslMode);
    }
}
