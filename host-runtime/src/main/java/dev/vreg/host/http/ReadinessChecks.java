package dev.vreg.host.http;

import dev.vreg.host.db.Migrations;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * The parts of {@code /readyz} besides the database and the blob store: one check per plugin found (a plugin that
 * did not start leaves formats or upstream kinds missing, so the node is not fit to serve) and one for the schema
 * (the database must be at the version this node was built for, or past it when a newer node migrated first).
 */
public final class ReadinessChecks {

    private ReadinessChecks() {
    }

    /** {@code plugins/<id>} for every plugin found in {@code dir}; {@code plugins} DOWN when there is none. */
    public static void plugins(HealthCheckHandler readiness, List<PluginWrapper> plugins, Path dir) {
        if (plugins.isEmpty()) {
            JsonObject data = new JsonObject().put("reason", "no plugins were found in " + dir);
            readiness.register("plugins", promise -> promise.complete(Status.KO(data)));
            return;
        }
        for (PluginWrapper plugin : plugins) {
            String id = plugin.getPluginId();
            readiness.register("plugins/" + id, promise -> {
                PluginState state = plugin.getPluginState();
                JsonObject data = new JsonObject().put("version", plugin.getDescriptor().getVersion())
                        .put("state", state.toString());
                if (state == PluginState.STARTED) {
                    promise.complete(Status.OK(data));
                } else {
                    promise.complete(Status.KO(data.put("reason", "plugin " + id + " is " + state
                            + (plugin.getFailedException() == null ? ""
                                    : ": " + plugin.getFailedException().getMessage()))));
                }
            });
        }
    }

    /** {@code migrations}: the schema's version against {@code expected}, and no failed migration. */
    public static void migrations(HealthCheckHandler readiness, Pool pool, String expected) {
        MigrationVersion needed = MigrationVersion.fromVersion(expected);
        readiness.register("migrations", promise -> pool
                .query("SELECT version, success, description FROM " + Migrations.HISTORY_TABLE
                        + " WHERE version IS NOT NULL").execute()
                .onFailure(e -> promise.complete(Status.KO(new JsonObject()
                        .put("reason", "the migration history cannot be read: " + e.getMessage()))))
                .onSuccess(rows -> {
                    MigrationVersion current = null;
                    String failed = null;
                    for (Row row : rows) {
                        MigrationVersion version = MigrationVersion.fromVersion(row.getString("version"));
                        if (!row.getBoolean("success")) {
                            failed = version + " (" + row.getString("description") + ")";
                        } else if (current == null || version.compareTo(current) > 0) {
                            current = version;
                        }
                    }
                    JsonObject data = new JsonObject()
                            .put("schemaVersion", current == null ? null : current.getVersion())
                            .put("nodeVersion", needed.getVersion());
                    if (failed != null) {
                        promise.complete(Status.KO(data.put("reason", "migration " + failed + " failed")));
                    } else if (current == null || needed.compareTo(current) > 0) {
                        promise.complete(Status.KO(data.put("reason", "the schema is at version "
                                + data.getString("schemaVersion") + ", this node needs " + needed.getVersion())));
                    } else {
                        promise.complete(Status.OK(data));
                    }
                }));
    }
}
