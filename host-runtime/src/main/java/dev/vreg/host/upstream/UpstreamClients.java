package dev.vreg.host.upstream;

import dev.vreg.spi.UpstreamClient;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;

/**
 * One open {@link UpstreamClient} per configured upstream, shared by every registry that uses it and replaced when
 * the upstream's configuration changes.
 */
public final class UpstreamClients implements AutoCloseable {

    private record Open(Instant version, UpstreamClient client) {
    }

    private final UpstreamOpener opener;
    private final BiFunction<Upstream, UpstreamClient, UpstreamClient> wrap;
    private final ConcurrentMap<Long, Open> open = new ConcurrentHashMap<>();

    public UpstreamClients(UpstreamOpener opener) {
        this(opener, (upstream, client) -> client);
    }

    /** @param wrap what each opened client is wrapped in (metering) */
    public UpstreamClients(UpstreamOpener opener, BiFunction<Upstream, UpstreamClient, UpstreamClient> wrap) {
        this.opener = opener;
        this.wrap = wrap;
    }

    /**
     * The client for {@code upstream}; fails with UPSTREAM_UNAVAILABLE when no plugin provides its kind or its
     * credentials cannot be read, as {@link UpstreamOpener#open} does.
     */
    public UpstreamClient clientFor(Upstream upstream) {
        Open current = open.get(upstream.id());
        if (current != null && current.version.equals(upstream.updatedAt())) {
            return current.client;
        }
        Open replacement = open.compute(upstream.id(), (id, existing) -> {
            if (existing != null && existing.version.equals(upstream.updatedAt())) {
                return existing;
            }
            if (existing != null) {
                existing.client.close();
            }
            return new Open(upstream.updatedAt(), wrap.apply(upstream, opener.open(upstream.stored())));
        });
        return replacement.client;
    }

    @Override
    public void close() {
        open.values().forEach(o -> o.client.close());
        open.clear();
    }
}
