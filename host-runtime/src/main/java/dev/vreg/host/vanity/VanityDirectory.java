package dev.vreg.host.vanity;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every vanity prefix of the instance, read at once and served from memory until {@link #invalidate()} (a
 * configuration change anywhere) or a short time-to-live; when a reload fails the prefixes last read are used.
 * A name falls under a prefix ending in {@code /} when it starts with it or is it without the slash, and under any
 * other prefix when it is the prefix or continues it after a {@code /}; the longest prefix wins.
 */
public final class VanityDirectory {

    private record Snapshot(Future<List<VanityStore.Claim>> claims, Instant loadedAt) {
    }

    private final VanityStore store;
    private final Clock clock;
    private final Duration ttl;
    private volatile Snapshot snapshot;
    private volatile List<VanityStore.Claim> lastKnown = List.of();

    public VanityDirectory(VanityStore store, Clock clock, Duration ttl) {
        this.store = store;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The claim of the longest prefix {@code name} falls under. */
    public Future<Optional<VanityStore.Claim>> find(String name) {
        return claims().map(claims -> claims.stream().filter(claim -> covers(claim.prefix(), name))
                .max(Comparator.comparingInt(claim -> claim.prefix().length())));
    }

    static boolean covers(String prefix, String name) {
        if (prefix.endsWith("/")) {
            return name.startsWith(prefix) || name.equals(prefix.substring(0, prefix.length() - 1));
        }
        return name.equals(prefix) || name.startsWith(prefix) && name.charAt(prefix.length()) == '/';
    }

    private Future<List<VanityStore.Claim>> claims() {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current != null && current.loadedAt.plus(ttl).isAfter(now) && !current.claims.failed()) {
            return current.claims;
        }
        Future<List<VanityStore.Claim>> loading = store.all().onSuccess(claims -> lastKnown = claims);
        snapshot = new Snapshot(loading, now);
        return loading.recover(e -> Future.succeededFuture(lastKnown));
    }

    public void invalidate() {
        snapshot = null;
    }
}
