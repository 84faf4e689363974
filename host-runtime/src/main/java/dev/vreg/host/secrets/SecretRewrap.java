package dev.vreg.host.secrets;

import dev.vreg.host.identity.Sessions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a key rotation: at start, re-encrypts with the current {@code security.encryptionKey} what older keys
 * wrote (upstream credentials, with their duplicate-guard digests, and the session signing key), and encrypts a
 * signing key that was stored before any key was configured. Afterwards the old keys can be dropped from
 * {@code security.previousEncryptionKeys}. Each value is rewritten in its own transaction under a row lock, so nodes
 * starting together do not trip over each other and one value that cannot be decrypted holds up nothing else.
 */
public final class SecretRewrap {

    private static final Logger LOG = LoggerFactory.getLogger(SecretRewrap.class);

    private final Pool pool;
    private final CredentialCipher cipher;

    public SecretRewrap(Pool pool, CredentialCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    /** Rewrites what needs it; answers how many values were rewritten. */
    public Future<Integer> run() {
        return pool.query("SELECT id, credentials FROM upstreams WHERE credentials IS NOT NULL").execute()
                .compose(rows -> {
                    List<Long> stale = new ArrayList<>();
                    rows.forEach(row -> {
                        if (!cipher.isCurrent(row.getBuffer("credentials").getBytes())) {
                            stale.add(row.getLong("id"));
                        }
                    });
                    Future<Integer> done = Future.succeededFuture(0);
                    for (long id : stale) {
                        done = done.compose(n -> upstream(id).map(rewritten -> n + (rewritten ? 1 : 0)));
                    }
                    return done;
                })
                .compose(n -> sessionKeys().map(keys -> n + keys))
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("Re-encrypted {} stored secret(s) with the current security.encryptionKey", n);
                    }
                });
    }

    private Future<Boolean> upstream(long id) {
        return pool.withTransaction(conn -> conn
                        .preparedQuery("SELECT credentials FROM upstreams WHERE id = $1 FOR UPDATE")
                        .execute(Tuple.of(id))
                        .compose(rows -> {
                            Row row = rows.size() == 0 ? null : rows.iterator().next();
                            Buffer stored = row == null ? null : row.getBuffer("credentials");
                            if (stored == null || cipher.isCurrent(stored.getBytes())) {
                                return Future.succeededFuture(false);
                            }
                            var credentials = cipher.decrypt(stored.getBytes());
                            return conn.preparedQuery(
                                            "UPDATE upstreams SET credentials = $2, credentials_digest = $3 WHERE id = $1")
                                    .execute(Tuple.of(id, Buffer.buffer(cipher.encrypt(credentials)),
                                            cipher.digest(credentials)))
                                    .map(true);
                        }))
                .otherwise(e -> {
                    // A key that is no longer configured, or the same URL and credentials twice in one group (which
                    // the digests of different keys could not tell): the value stays as it was.
                    LOG.warn("The credentials of upstream {} were not re-encrypted: {}", id, e.getMessage());
                    return false;
                });
    }

    private Future<Integer> sessionKeys() {
        return Sessions.rewrapKeys(pool, cipher)
                .otherwise(e -> {
                    LOG.warn("The session signing key was not re-encrypted: {}", e.getMessage());
                    return 0;
                });
    }
}
