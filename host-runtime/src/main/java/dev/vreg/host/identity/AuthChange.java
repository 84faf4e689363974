package dev.vreg.host.identity;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Tells every node to forget cached tokens and roles ({@code NOTIFY vreg_auth}). Sent inside the changing
 * transaction, so it is delivered when, and only if, the change commits.
 */
final class AuthChange {

    private AuthChange() {
    }

    static Future<Void> announce(SqlConnection conn) {
        return conn.query("NOTIFY vreg_auth").execute().mapEmpty();
    }
}
