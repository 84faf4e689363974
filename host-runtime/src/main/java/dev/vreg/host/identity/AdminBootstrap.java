package dev.vreg.host.identity;

import dev.vreg.host.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the instance has an admin: on the first start, user {@code admin} with a personal token of every
 * scope. The token is the configured one ({@code auth.adminToken}, {@code VREG_ADMIN_TOKEN}) or a generated one
 * written once to the console, never to the log, so it does not end up in log collectors.
 */
public final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    public static final String ADMIN = "admin";

    private final Pool pool;
    private final UserStore users;
    private final TokenStore tokens;
    private final PrintStream console;

    public AdminBootstrap(Pool pool, UserStore users, TokenStore tokens, PrintStream console) {
        this.pool = pool;
        this.users = users;
        this.tokens = tokens;
        this.console = console;
    }

    /** @param configuredToken the operator's token, or {@code null} to generate one */
    public Future<Void> run(String configuredToken) {
        if (configuredToken != null && !Tokens.acceptable(configuredToken)) {
            return Future.failedFuture(new ConfigException(
                    "auth.adminToken (VREG_ADMIN_TOKEN) must be at least 32 printable characters without spaces"));
        }
        String token = configuredToken != null ? configuredToken : Tokens.generate();
        return pool.withTransaction(conn -> conn
                .query("SELECT pg_advisory_xact_lock(hashtext('vreg.bootstrap.admin'))").execute()
                .compose(v -> users.adminExists(conn))
                .compose(exists -> exists ? Future.succeededFuture(false) : users.ensureAdmin(conn, ADMIN)
                        .compose(v -> tokens.createPersonal(conn, ADMIN, "bootstrap", TokenStore.ADMIN_DEFAULT,
                                null, token))
                        .map(true)))
                .onSuccess(created -> {
                    if (!created) {
                        if (configuredToken != null) {
                            LOG.info("VREG_ADMIN_TOKEN is set, but the instance admin exists already; it applies to "
                                    + "the first start only and was not used");
                        }
                        return;
                    }
                    if (configuredToken != null) {
                        LOG.info("Created the instance admin '{}' with the configured token", ADMIN);
                    } else {
                        LOG.info("Created the instance admin '{}'; its token is printed once on the console", ADMIN);
                        console.println("vreg: the instance admin's token (shown only now; keep it safe): " + token);
                    }
                })
                .mapEmpty();
    }
}
