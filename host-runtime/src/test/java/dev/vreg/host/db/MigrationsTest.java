package dev.vreg.host.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.host.db.postgres.EmbeddedPostgres;
import dev.vreg.host.support.LogCapture;
import dev.vreg.host.support.TestVreg;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class MigrationsTest {

    @Test
    void aFreshDatabaseIsMigratedOnceAndThenLeftAsItIs() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(TestVreg.newDataDir());
                LogCapture logs = LogCapture.attach()) {
            DatabaseEndpoint endpoint = new DatabaseEndpoint(postgres.host(), postgres.port(), postgres.database(),
                    postgres.user(), postgres.password());
            Migrations.migrate(endpoint);
            Migrations.migrate(endpoint);

            List<String> applied = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                    postgres.password());
                    ResultSet rows = connection.createStatement().executeQuery(
                            "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
                while (rows.next()) {
                    applied.add(rows.getString(1));
                }
            }
            assertThat(applied).startsWith("1");
            String latest = applied.get(applied.size() - 1);
            assertThat(logs.lines()).filteredOn(line -> line.startsWith(Migrations.class.getName()))
                    .containsExactly(
                            Migrations.class.getName() + " Database schema at version " + latest + " ("
                                    + applied.size() + " migration(s) applied)",
                            Migrations.class.getName() + " Database schema at version " + latest
                                    + " (0 migration(s) applied)");
        }
    }
}
