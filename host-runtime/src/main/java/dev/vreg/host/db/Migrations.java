package dev.vreg.host.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the versioned SQL migrations in {@code db/migration}. Blocking: run it on a worker thread. */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static void migrate(DatabaseEndpoint endpoint) {
        MigrateResult result = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(endpoint.jdbcUrl(), endpoint.user(), endpoint.password())
                .locations("classpath:db/migration")
                .connectRetries(10)
                .load()
                .migrate();
        // Flyway names a target version only when it applied something.
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOG.info("Database schema at version {} ({} migration(s) applied)", version, result.migrationsExecuted);
    }
}
