package dev.vreg.host.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

/**
 * The notifications every node listens for. Sent inside a changing transaction, one is delivered when (and only if)
 * the change commits.
 */
public final class Notify {

    /** The channel of configuration and cache changes: registries, upstreams, their links and cache entries. */
    public static final String CONFIG = "vreg_config";

    private Notify() {
    }

    /** Tells every node to reload registries and upstreams and to forget what it remembers of the cache. */
    public static Future<Void> config(SqlClient client) {
        return client.query("NOTIFY " + CONFIG).execute().mapEmpty();
    }
}
