package dev.vreg.host.upstream;

import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.PluginContext;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns an upstream's configuration into an open {@link UpstreamClient}: decrypts the stored credentials, builds the
 * plugin's {@link UpstreamConfig} and asks the plugin of the upstream's kind to open it. The client pool, the
 * settings check and the connection tests all open clients here and nowhere else.
 *
 * <p>Plugin messages are not ours to trust: a credential quoted in a message this passes on, thrown or reported, is
 * replaced by {@code ****}.
 */
public final class UpstreamOpener {

    private static final String HIDDEN = "****";

    private final PluginHost plugins;
    private final Function<String, Optional<UpstreamPlugin>> kinds;
    private final Optional<CredentialCipher> cipher;
    private final PluginContext context;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public UpstreamOpener(PluginHost plugins, Optional<CredentialCipher> cipher, PluginContext context,
                          Duration connectTimeout, Duration readTimeout) {
        this(plugins, kind -> plugins.upstreamKind(kind), cipher, context, connectTimeout, readTimeout);
    }

    /** @param kinds the plugin of each upstream kind; {@code plugins} may then be {@code null} */
    UpstreamOpener(PluginHost plugins, Function<String, Optional<UpstreamPlugin>> kinds,
                   Optional<CredentialCipher> cipher, PluginContext context, Duration connectTimeout,
                   Duration readTimeout) {
        this.plugins = plugins;
        this.kinds = kinds;
        this.cipher = cipher;
        this.context = context;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** The loaded plugins, whose upstream kinds this opens. */
    public PluginHost plugins() {
        return plugins;
    }

    /**
     * A client for a stored upstream, for the request path.
     *
     * @throws VregException UPSTREAM_UNAVAILABLE when no plugin provides the kind or the credentials cannot be read;
     *                       whatever the plugin throws otherwise, without the credentials in its message
     */
    public UpstreamClient open(StoredUpstream upstream) {
        UpstreamPlugin plugin = kinds.apply(upstream.kind()).orElseThrow(() -> new VregException(
                ErrorKind.UPSTREAM_UNAVAILABLE, "upstream " + upstream.name() + " is of kind '" + upstream.kind()
                + "', which no loaded plugin provides"));
        Credentials credentials;
        if (upstream.credentials() == null) {
            credentials = null;
        } else if (cipher.isEmpty()) {
            throw new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream " + upstream.name()
                    + " has credentials but no encryption key is configured");
        } else {
            try {
                credentials = cipher.get().decrypt(upstream.credentials());
            } catch (IllegalStateException e) {
                throw new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream " + upstream.name()
                        + ": its stored credentials cannot be decrypted with the configured keys");
            }
        }
        return open(plugin, Long.toString(upstream.id()), upstream.kind(), upstream.url(), credentials,
                upstream.settings());
    }

    /**
     * Why the plugin of {@code kind} refuses a configuration without credentials, or empty when it accepts it.
     * Opening does no I/O, so this is a check of the configuration only; the client is closed again at once.
     */
    public Optional<String> refusal(String kind, String url, JsonObject settings) {
        try {
            UpstreamPlugin plugin = kinds.apply(kind).orElseThrow(() ->
                    VregException.invalid("no loaded plugin provides upstream kind " + kind));
            open(plugin, "settings-check", kind, url, null, settings).close();
            return Optional.empty();
        } catch (VregException e) {
            return Optional.ofNullable(e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("the " + kind + " plugin does not accept this configuration");
        }
    }

    /**
     * Opens a client for a stored upstream, runs its connection test and closes the client again. Every failure,
     * credentials that cannot be read included, becomes a report, so the caller always has something to show.
     */
    public Future<ConnectionReport> test(StoredUpstream upstream) {
        Credentials credentials;
        try {
            credentials = upstream.credentials() == null ? null : cipher.orElseThrow(() ->
                    new IllegalStateException("the credentials cannot be decrypted: no security.encryptionKey is "
                            + "configured")).decrypt(upstream.credentials());
        } catch (RuntimeException e) {
            return Future.succeededFuture(failed(e.getMessage()));
        }
        return test(Long.toString(upstream.id()), upstream.kind(), upstream.url(), credentials, upstream.settings());
    }

    /**
     * The connection test of a configuration that is not stored, with its credentials as given ({@code null}:
     * none); as {@link #test(StoredUpstream)} otherwise.
     */
    public Future<ConnectionReport> test(String id, String kind, String url, Credentials credentials,
                                         JsonObject settings) {
        UpstreamClient client;
        try {
            UpstreamPlugin plugin = kinds.apply(kind).orElseThrow(() ->
                    new IllegalStateException("no loaded plugin provides upstream kind " + kind));
            client = open(plugin, id, kind, url, credentials, settings);
        } catch (RuntimeException e) {
            return Future.succeededFuture(failed(e.getMessage()));
        }
        return client.testConnection()
                .recover(e -> Future.succeededFuture(failed("the connection test failed: " + e.getMessage())))
                .map(report -> withoutSecrets(report, credentials))
                .onComplete(done -> client.close());
    }

    private UpstreamClient open(UpstreamPlugin plugin, String id, String kind, String url, Credentials credentials,
                                JsonObject settings) {
        try {
            return plugin.open(new UpstreamConfig(id, kind, URI.create(url), credentials, settings, connectTimeout,
                    readTimeout), context);
        } catch (RuntimeException e) {
            throw withoutSecrets(e, credentials);
        }
    }

    private static ConnectionReport failed(String message) {
        return new ConnectionReport(false, false, false, -1, message);
    }

    private static ConnectionReport withoutSecrets(ConnectionReport report, Credentials credentials) {
        String message = withoutSecrets(report.message(), credentials);
        return message == null || message.equals(report.message()) ? report : new ConnectionReport(
                report.reachable(), report.tls(), report.authenticated(), report.latencyMillis(), message);
    }

    /** {@code failure} itself when its message quotes no credential, otherwise one of its kind that does not. */
    private static RuntimeException withoutSecrets(RuntimeException failure, Credentials credentials) {
        String message = withoutSecrets(failure.getMessage(), credentials);
        if (message == null || message.equals(failure.getMessage())) {
            return failure;
        }
        if (failure instanceof VregException e) {
            return new VregException(e.kind(), message);
        }
        // The cause is dropped: its message may quote the credentials too.
        IllegalStateException scrubbed = new IllegalStateException(message);
        scrubbed.setStackTrace(failure.getStackTrace());
        return scrubbed;
    }

    private static String withoutSecrets(String message, Credentials credentials) {
        if (message == null || credentials == null) {
            return message;
        }
        for (String secret : new String[] {credentials.password(), credentials.token()}) {
            if (secret != null && !secret.isEmpty()) {
                message = message.replace(secret, HIDDEN);
            }
        }
        return message;
    }
}
