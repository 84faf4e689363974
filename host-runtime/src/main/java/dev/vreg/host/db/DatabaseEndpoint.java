package dev.vreg.host.db;

import dev.vreg.host.config.ConfigException;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Where the PostgreSQL server is and how to log in, from a {@code postgresql://user:password@host:port/db} URL or
 * from the embedded server. {@link #toString()} never prints the password.
 */
public record DatabaseEndpoint(String host, int port, String database, String user, String password) {

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
        return options;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
