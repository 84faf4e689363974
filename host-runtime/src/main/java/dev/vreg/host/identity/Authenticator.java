package dev.vreg.host.identity;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.db.BatchedWriter;
import dev.vreg.host.vertx.CallerContext;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns an {@code Authorization} header (a token, or a session made from one) into a {@link Principal}. Lookups are
 * cached by token hash (by token id for sessions) for a short
 * time and dropped on {@code NOTIFY vreg_auth}, so a busy client costs no database round trip per request while a
 * revoked token or a changed membership takes effect at once (and on other nodes within the time-to-live at worst).
 */
public final class Authenticator {

    private final TokenStore tokens;
    private final Sessions sessions;
    /** Each token's last use. */
    private final BatchedWriter<Long, Instant> lastUsed;
    private final Clock clock;
    private final Cache<String, Future<Optional<Principal>>> cache;

    /** @param sessions verifies sessions; {@code null} when only tokens are accepted */
    public Authenticator(TokenStore tokens, Sessions sessions, BatchedWriter<Long, Instant> lastUsed,
                         Clock clock, Duration ttl) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.lastUsed = lastUsed;
        this.clock = clock;
        // Bounded, so a stream of made-up tokens cannot grow memory without limit.
        this.cache = CacheBuilder.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    /**
     * The principal of a valid, unexpired token or session in {@code header}; empty when there is none or it is not
     * valid.
     */
    public Future<Optional<Principal>> authenticate(String header) {
        Optional<String> token = AuthorizationHeader.token(header);
        if (token.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        if (sessions != null && Sessions.looksLikeSession(token.get())) {
            return CallerContext.bind(sessions.verify(token.get()).compose(claims -> claims.isEmpty()
                    ? Future.succeededFuture(Optional.empty())
                    : lookup("session:" + claims.get().tokenId(), () -> tokens.findById(claims.get().tokenId()))
                            .map(principal -> principal.flatMap(p -> p.forSession(claims.get())))
                            .map(this::usable)));
        }
        String hash = Tokens.hash(token.get());
        return CallerContext.bind(lookup(hash, () -> tokens.findByHash(hash)).map(this::usable));
    }

    private Future<Optional<Principal>> lookup(String key, Supplier<Future<Optional<Principal>>> load) {
        Future<Optional<Principal>> found = cache.getIfPresent(key);
        if (found == null || found.failed()) {
            found = load.get();
            cache.put(key, found);
        }
        return found;
    }

    private Optional<Principal> usable(Optional<Principal> principal) {
        return principal.filter(p -> !p.expired(clock.instant())).map(p -> {
            lastUsed.record(p.tokenId(), clock.instant());
            return p;
        });
    }

    /** Forgets every cached token and role, and reads again which sessions were ended. */
    public void invalidateAll() {
        cache.invalidateAll();
        if (sessions != null) {
            sessions.reloadEnded();
        }
    }
}
