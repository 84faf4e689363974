package dev.vreg.host.auth;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.vreg.host.vertx.CallerContext;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns an {@code Authorization} header into a {@link Principal}. Lookups are cached by token hash for a short
 * time and dropped on {@code NOTIFY vreg_auth}, so a busy client costs no database round trip per request while a
 * revoked token or a changed membership takes effect at once (and on other nodes within the time-to-live at worst).
 */
public final class Authenticator {

    private final TokenRepository tokens;
    private final LastUsedRecorder lastUsed;
    private final Clock clock;
    private final Cache<String, Future<Optional<Principal>>> cache;

    public Authenticator(TokenRepository tokens, LastUsedRecorder lastUsed, Clock clock, Duration ttl) {
        this.tokens = tokens;
        this.lastUsed = lastUsed;
        this.clock = clock;
        // Bounded, so a stream of made-up tokens cannot grow memory without limit.
        this.cache = CacheBuilder.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    /** The principal of a valid, unexpired token in {@code header}; empty when there is none or it is not valid. */
    public Future<Optional<Principal>> authenticate(String header) {
        Optional<String> token = AuthorizationHeader.token(header);
        if (token.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        String hash = Tokens.hash(token.get());
        Future<Optional<Principal>> found = cache.getIfPresent(hash);
        if (found == null || found.failed()) {
            found = tokens.findByHash(hash);
            cache.put(hash, found);
        }
        return CallerContext.bind(found.map(principal -> principal.filter(p -> !p.expired(clock.instant())).map(p -> {
            lastUsed.record(p.tokenId(), clock.instant());
            return p;
        })));
    }

    public void invalidateAll() {
        cache.invalidateAll();
    }
}
