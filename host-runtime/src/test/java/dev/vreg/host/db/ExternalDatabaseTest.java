package dev.vreg.host.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vreg.host.VregServer;
import dev.vreg.host.api.ApiClient;
import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.ConfigLoader;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import dev.vreg.host.tls.PrivateCa;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external PostgreSQL by configuration: URL, credentials from settings of their own (the password best from the
 * environment, and never in a log line), TLS. The external server here is an embedded one the test runs itself.
 */
@Timeout(180)
class ExternalDatabaseTest {

    static final String PASSWORD = "fleet-db-password-9f8e7d6c";

    @TempDir
    Path temp;

    @Test
    void credentialsAndTlsFromTheFileAndTheEnvironment() throws Exception {
        Path ca = Files.writeString(temp.resolve("ca.pem"), "not read here");
        Path file = Files.writeString(temp.resolve("vreg.yaml"), """
                database:
                  url: postgresql://db.internal:6432/registry
                  user: vreg_app
                  sslMode: verify-full
                  sslRootCert: %s
                  poolSize: 8
                """.formatted(ca));
        VregConfig config = new ConfigLoader(Map.of("VREG_DATABASE_PASSWORD", PASSWORD)).load(file);
        DatabaseEndpoint endpoint = DatabaseEndpoint.fromConfig(config.database);
        assertThat(endpoint.user()).isEqualTo("vreg_app");
        assertThat(endpoint.password()).isEqualTo(PASSWORD);
        assertThat(endpoint.host()).isEqualTo("db.internal");
        assertThat(endpoint.port()).isEqualTo(6432);
        assertThat(endpoint.database()).isEqualTo("registry");
        assertThat(config.database.poolSize).isEqualTo(8);
        assertThat(endpoint.toString()).doesNotContain(PASSWORD).contains("verify-full");
        assertThat(endpoint.connectOptions().getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(endpoint.connectOptions().getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(endpoint.jdbcUrl()).contains("sslmode=verify-full").contains("sslrootcert=").doesNotContain(PASSWORD);

        // Settings of their own take the place of the URL's credentials; without them the URL's stay.
        VregConfig fromUrl = new ConfigLoader(Map.of("VREG_DATABASE_URL", "postgresql://u:p@h:5432/d",
                "VREG_DATABASE_SSL_MODE", "require")).load(null);
        DatabaseEndpoint plain = DatabaseEndpoint.fromConfig(fromUrl.database);
        assertThat(plain.user()).isEqualTo("u");
        assertThat(plain.password()).isEqualTo("p");
        assertThat(plain.connectOptions().getSslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(plain.connectOptions().getSslOptions().isTrustAll()).isTrue();
        assertThat(new ConfigLoader(Map.of("VREG_DATABASE_URL", "postgresql://u:p@h:5432/d")).load(null)
                .database.sslMode).isEqualTo("disable");
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStart() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_DATABASE_URL", "postgresql://h/d",
                "VREG_DATABASE_SSL_MODE", "prefer")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("disable, require or verify-full");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_DATABASE_URL", "postgresql://h/d",
                "VREG_DATABASE_SSL_MODE", "verify-full")).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sslRootCert");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_DATABASE_URL", "postgresql://h/d",
                "VREG_DATABASE_SSL_MODE", "verify-full",
                "VREG_DATABASE_SSL_ROOT_CERT", temp.resolve("missing.pem").toString())).load(null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("VREG_DATABASE_URL", "mysql://h/d",
                "VREG_DATABASE_PASSWORD", PASSWORD)).load(null))
                .isInstanceOf(ConfigException.class).message().doesNotContain(PASSWORD);
    }

    @Test
    void aNodeOnAnExternalServerLogsInWithItsOwnUserOverTls() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.start(TestVreg.newDataDir())) {
            PrivateCa ca = PrivateCa.loadOrCreate(Files.createDirectories(temp.resolve("tls")),
                    Set.of("127.0.0.1", "localhost"), Clock.systemUTC());
            try (Connection admin = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
                 Statement sql = admin.createStatement()) {
                sql.execute("CREATE ROLE vreg_app LOGIN PASSWORD '" + PASSWORD + "'");
                sql.execute("CREATE DATABASE registry OWNER vreg_app");
                // The server writes the files itself, so they are its own whoever runs the test.
                for (String name : List.of("server.pem", "server.key")) {
                    String pem = Files.readString(temp.resolve("tls").resolve(name));
                    Path target = server.pgData().resolve("fleet-" + name);
                    sql.execute("COPY (SELECT unnest(string_to_array($pem$" + pem.strip() + "$pem$, E'\\n'))) TO '"
                            + target + "'");
                }
                // PostgreSQL takes a key only its owner can read.
                Files.setPosixFilePermissions(server.pgData().resolve("fleet-server.key"),
                        PosixFilePermissions.fromString("rw-------"));
                sql.execute("ALTER SYSTEM SET ssl_cert_file = '" + server.pgData().resolve("fleet-server.pem") + "'");
                sql.execute("ALTER SYSTEM SET ssl_key_file = '" + server.pgData().resolve("fleet-server.key") + "'");
                sql.execute("ALTER SYSTEM SET ssl = on");
                sql.execute("SELECT pg_reload_conf()");
            }

            VregConfig config = TestVreg.config(TestVreg.newDataDir(), List.of("http://127.0.0.1:9"));
            config.database.url = "postgresql://" + server.host() + ":" + server.port() + "/registry";
            config.database.user = "vreg_app";
            config.database.password = PASSWORD;
            config.database.sslMode = "verify-full";
            config.database.sslRootCert = ca.caFile();
            config.auth.adminToken = "vreg_external-admin-token-0123456789abcdefghijklmn";
            config.security.encryptionKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
            try (LogCapture logs = LogCapture.attach(); VregServer node = TestVreg.start(config)) {
                ApiClient api = new ApiClient(node.baseUrl());
                assertThat(api.get("/readyz", null).status()).isEqualTo(200);
                assertThat(api.get("/api/v1/groups", config.auth.adminToken).status()).isEqualTo(200);
                // Every connection of the node is encrypted and logged in as the configured user.
                try (Connection admin = DriverManager.getConnection(server.jdbcUrl(), server.user(),
                        server.password()); Statement sql = admin.createStatement();
                     var rows = sql.executeQuery("SELECT count(*), bool_and(s.ssl) FROM pg_stat_ssl s "
                             + "JOIN pg_stat_activity a ON a.pid = s.pid WHERE a.usename = 'vreg_app'")) {
                    rows.next();
                    assertThat(rows.getInt(1)).isPositive();
                    assertThat(rows.getBoolean(2)).isTrue();
                }
                assertThat(String.join("\n", logs.lines())).doesNotContain(PASSWORD);
            }

            // verify-full refuses a server whose certificate another authority signed.
            PrivateCa other = PrivateCa.loadOrCreate(Files.createDirectories(temp.resolve("other")),
                    Set.of("127.0.0.1"), Clock.systemUTC());
            DatabaseEndpoint wrongCa = new DatabaseEndpoint(server.host(), server.port(), "registry", "vreg_app",
                    PASSWORD, "verify-full", other.caFile());
            Vertx vertx = Vertx.vertx();
            try {
                assertThatThrownBy(() -> PgConnection.connect(vertx, wrongCa.connectOptions())
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .hasMessageNotContaining(PASSWORD);
                DatabaseEndpoint required = new DatabaseEndpoint(server.host(), server.port(), "registry",
                        "vreg_app", PASSWORD, "require", null);
                PgConnection conn = PgConnection.connect(vertx, required.connectOptions())
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(conn.isSSL()).isTrue();
                conn.close();
            } finally {
                vertx.close();
            }
        }
    }
}
