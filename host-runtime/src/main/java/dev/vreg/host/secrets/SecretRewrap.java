package dev.vreg.host.secrets;

import dev.vreg.host.audit.WebhookStore;
import dev.vreg.host.upstream.UpstreamStore;
import dev.vreg.host.identity.Sessions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a key rotation: at start, re-encrypts with the current {@code security.encryptionKey} what older keys
 * wrote (upstream credentials, with their duplicate-guard digests, webhook secrets, and the session signing key),
 * and encrypts a signing key that was stored before any key was configured. Afterwards the old keys can be dropped from
 * {@code security.previousEncryptionKeys}. Each value is rewritten in its own transaction under a row lock, so nodes
 * starting together do not trip over each other and one value that cannot be decrypted holds up nothing else.
 */
public final class SecretRewrap {

    private static final Logger LOG = LoggerFactory.getLogger(SecretRewrap.class);

    private final Pool pool;
    private final UpstreamStore upstreams;
    private final CredentialCipher cipher;

    /** @param upstreams where the upstream credentials are kept; the session signing key is in {@code pool} */
    public SecretRewrap(Pool pool, UpstreamStore upstreams, CredentialCipher cipher) {
        this.pool = pool;
        this.upstreams = upstreams;
        this.cipher = cipher;
    }

    /** Rewrites what needs it; answers how many values were rewritten. */
    public Future<Integer> run() {
        return upstreams.withCredentials(stored -> !cipher.isCurrent(stored))
                .compose(stale -> {
                    Future<Integer> done = Future.succeededFuture(0);
                    for (long id : stale) {
                        done = done.compose(n -> upstream(id).map(rewritten -> n + (rewritten ? 1 : 0)));
                    }
                    return done;
                })
                .compose(n -> sessionKeys().map(keys -> n + keys))
                .compose(n -> webhookSecrets().map(secrets -> n + secrets))
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.info("Re-encrypted {} stored secret(s) with the current security.encryptionKey", n);
                    }
                });
    }

    private Future<Boolean> upstream(long id) {
        return upstreams.rewriteCredentials(id, stored -> {
                    if (cipher.isCurrent(stored)) {
                        return Optional.empty();
                    }
                    var credentials = cipher.decrypt(stored);
                    return Optional.of(new UpstreamStore.Rewritten(cipher.encrypt(credentials),
                            cipher.digest(credentials)));
                })
                .otherwise(e -> {
                    // A key that is no longer configured, or the same URL and credentials twice in one group (which
                    // the digests of different keys could not tell): the value stays as it was.
                    LOG.warn("The credentials of upstream {} were not re-encrypted: {}", id, e.getMessage());
                    return false;
                });
    }

    private Future<Integer> webhookSecrets() {
        return new WebhookStore(pool).rewrap(cipher,
                        id -> LOG.warn("The secret of webhook {} was not re-encrypted: no configured key opens it", id))
                .otherwise(e -> {
                    LOG.warn("Webhook secrets were not re-encrypted: {}", e.getMessage());
                    return 0;
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
