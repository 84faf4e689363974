package dev.vreg.host.db;

import java.util.Arrays;
import java.util.Comparator;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the versioned SQL migrations in {@code db/migration}. Blocking: run it on a worker thread. */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Where Flyway records what it applied; the readiness check reads it. */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    private Migrations() {
    }

    /** Migrates the schema; answers the newest version this build knows, which the schema is now at (or past). */
    public static String migrate(DatabaseEndpoint endpoint) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(endpoint.jdbcUrl(), endpoint.user(), endpoint.password())
                .locations("classpath:db/migration")
                .connectRetries(10)
                .load();
        MigrateResult result = flyway.migrate();
        // Flyway names a target version only when it applied something.
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOG.info("Database schema at version {} ({} migration(s) applied)", version, result.migrationsExecuted);
        // A newer node may have migrated further already; those versions are "future" here and not ours to expect.
        return Arrays.stream(flyway.info().all())
                .filter(info -> info.getVersion() != null && info.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .max(Comparator.naturalOrder())
                .map(MigrationVersion::getVersion)
                .orElse(version);
    }
}
