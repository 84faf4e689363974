package dev.vreg.host.cli;

import dev.vreg.host.config.ConfigException;
import dev.vreg.host.config.VregConfig;
import dev.vreg.host.db.DatabaseEndpoint;
import dev.vreg.host.db.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vreg migrate}: applies schema migrations to an external database and exits. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Apply database schema migrations to the configured PostgreSQL and exit.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        try {
            VregConfig config = options.load();
            if (config.database.url == null || config.database.url.isBlank()) {
                System.err.println("vreg migrate: no database URL configured; the embedded database is migrated "
                        + "automatically by 'vreg run'");
                return 2;
            }
            Migrations.migrate(DatabaseEndpoint.fromConfig(config.database));
            return 0;
        } catch (ConfigException e) {
            System.err.println("vreg: " + e.getMessage());
            return 2;
        }
    }
}
