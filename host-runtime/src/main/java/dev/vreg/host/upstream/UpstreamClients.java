package dev.vreg.host.upstream;

import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.host.plugins.PluginHost;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.VregException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One open {@link UpstreamClient} per configured upstream, shared by every registry that uses it and replaced when
 * the upstream's configuration changes.
 */
public final class UpstreamClients implements AutoCloseable {

    private record Open(Instant version, UpstreamClient client) {
    }

    private final PluginHost plugins;
    private final Optional<CredentialCipher> cipher;
    private final PluginContext context;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final ConcurrentMap<Long, Open> open = new ConcurrentHashMap<>();

    public UpstreamClients(PluginHost plugins, Optional<CredentialCipher> cipher, PluginContext context,
                           Duration connectTimeout, Duration readTimeout) {
        this.plugins = plugins;
        this.cipher = cipher;
        this.context = context;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The client for {@code upstream}; fails with UPSTREAM_UNAVAILABLE when no plugin provides its kind. */
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
            return new Open(upstream.updatedAt(), openClient(upstream));
        });
        return replacement.client;
    }

    private UpstreamClient openClient(Upstream upstream) {
        var plugin = plugins.upstreamKind(upstream.kind()).orElseThrow(() -> new VregException(
                ErrorKind.UPSTREAM_UNAVAILABLE,
                "upstream " + upstream.name() + " is of kind '" + upstream.kind() + "', which no loaded plugin provides"));
        UpstreamConfig config = new UpstreamConfig(Long.toString(upstream.id()), upstream.kind(),
                URI.create(upstream.url()), credentials(upstream), upstream.settings(), connectTimeout, readTimeout,
                upstream.transfer());
        return plugin.open(config, context);
    }

    /** The upstream's decrypted credentials; an upstream whose credentials cannot be read is not used at all. */
    private Credentials credentials(Upstream upstream) {
        if (upstream.credentials() == null) {
            return null;
        }
        CredentialCipher keys = cipher.orElseThrow(() -> new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                "upstream " + upstream.name() + " has credentials but no encryption key is configured"));
        try {
            return keys.decrypt(upstream.credentials());
        } catch (IllegalStateException e) {
            throw new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream " + upstream.name()
                    + ": its stored credentials cannot be decrypted with the configured keys");
        }
    }

    @Override
    public void close() {
        open.values().forEach(o -> o.client.close());
        open.clear();
    }
}
