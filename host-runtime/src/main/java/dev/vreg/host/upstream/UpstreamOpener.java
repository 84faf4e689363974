package dev.vreg.host.upstream;

import dev.vreg.host.plugins.PluginHost;
import dev.vreg.host.secrets.CredentialCipher;
import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.Credentials;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.UpstreamClient;
import dev.vreg.spi.TransferLimits;
import dev.vreg.spi.UpstreamConfig;
import dev.vreg.spi.UpstreamPlugin;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
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
    private static final Consumer<AddressNotAllowedException> IGNORED = refusal -> {
    };

    private final PluginHost plugins;
    private final Function<String, Optional<UpstreamPlugin>> kinds;
    private final Optional<CredentialCipher> cipher;
    private final UpstreamContexts contexts;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final TransferLimits transfer;

    /** An opener whose upstreams that set no transfer limits of their own get {@link TransferLimits#DEFAULT}. */
    public UpstreamOpener(PluginHost plugins, Optional<CredentialCipher> cipher, UpstreamContexts contexts,
                          Duration connectTimeout, Duration readTimeout) {
        this(plugins, cipher, contexts, connectTimeout, readTimeout, TransferLimits.DEFAULT);
    }

    /** @param transfer the instance's transfer limits, for an upstream that sets neither its deadline nor its rate */
    public UpstreamOpener(PluginHost plugins, Optional<CredentialCipher> cipher, UpstreamContexts contexts,
                          Duration connectTimeout, Duration readTimeout, TransferLimits transfer) {
        this(plugins, kind -> plugins.upstreamKind(kind), cipher, contexts, connectTimeout, readTimeout, transfer);
    }

    /** @param kinds the plugin of each upstream kind; {@code plugins} may then be {@code null} */
    UpstreamOpener(PluginHost plugins, Function<String, Optional<UpstreamPlugin>> kinds,
                   Optional<CredentialCipher> cipher, UpstreamContexts contexts, Duration connectTimeout,
                   Duration readTimeout) {
        this(plugins, kinds, cipher, contexts, connectTimeout, readTimeout, TransferLimits.DEFAULT);
    }

    UpstreamOpener(PluginHost plugins, Function<String, Optional<UpstreamPlugin>> kinds,
                   Optional<CredentialCipher> cipher, UpstreamContexts contexts, Duration connectTimeout,
                   Duration readTimeout, TransferLimits transfer) {
        this.plugins = plugins;
        this.kinds = kinds;
        this.cipher = cipher;
        this.contexts = contexts;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.transfer = transfer == null ? TransferLimits.DEFAULT : transfer;
    }

    /**
     * The transfer limits of a stored upstream: its own deadline and rate where it sets them, else the instance's;
     * the rate window is always the instance's.
     */
    public TransferLimits transferLimits(StoredUpstream upstream) {
        return new TransferLimits(
                upstream.transferDeadlineSeconds() == null ? transfer.deadline()
                        : Duration.ofSeconds(upstream.transferDeadlineSeconds()),
                upstream.minTransferRate() == null ? transfer.minBytesPerSecond() : upstream.minTransferRate(),
                transfer.window());
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
                upstream.settings(), upstream.allowPrivateNetwork(), IGNORED, transferLimits(upstream));
    }

    /**
     * Why the plugin of {@code kind} refuses a configuration without credentials, or empty when it accepts it.
     * Opening does no I/O, so this is a check of the configuration only; the client is closed again at once.
     */
    public Optional<String> refusal(String kind, String url, JsonObject settings) {
        try {
            UpstreamPlugin plugin = kinds.apply(kind).orElseThrow(() ->
                    VregException.invalid("no loaded plugin provides upstream kind " + kind));
            open(plugin, "settings-check", kind, url, null, settings, false, IGNORED, transfer).close();
            return Optional.empty();
        } catch (VregException e) {
            return Optional.ofNullable(e.getMessage());
        } catch (RuntimeException e) {
            return Optional.of("the " + kind + " plugin does not accept this configuration");
        }
    }

    /**
     * A connection test's report.
     *
     * @param contacted whether the plugin's test ran, so the report may be about the network; otherwise it is about
     *                  the configuration (credentials that cannot be read, a kind no plugin provides, settings the
     *                  plugin refuses)
     */
    public record Tested(ConnectionReport report, boolean contacted) {
    }

    /**
     * Opens a client for a stored upstream, runs its connection test and closes the client again. Every failure,
     * credentials that cannot be read included, becomes a report, so the caller always has something to show.
     *
     * @param refused told of each connection the client refused to open because of its address
     */
    public Future<Tested> test(StoredUpstream upstream, Consumer<AddressNotAllowedException> refused) {
        Credentials credentials;
        try {
            credentials = upstream.credentials() == null ? null : cipher.orElseThrow(() ->
                    new IllegalStateException("the credentials cannot be decrypted: no security.encryptionKey is "
                            + "configured")).decrypt(upstream.credentials());
        } catch (RuntimeException e) {
            return Future.succeededFuture(new Tested(failed(e.getMessage()), false));
        }
        return test(Long.toString(upstream.id()), upstream.kind(), upstream.url(), credentials, upstream.settings(),
                upstream.allowPrivateNetwork(), refused, transferLimits(upstream));
    }

    /**
     * The connection test of a configuration that is not stored, with its credentials as given ({@code null}:
     * none); as {@link #test(StoredUpstream, Consumer)} otherwise.
     */
    public Future<Tested> test(String id, String kind, String url, Credentials credentials,
                               JsonObject settings, boolean allowPrivateNetwork,
                               Consumer<AddressNotAllowedException> refused) {
        return test(id, kind, url, credentials, settings, allowPrivateNetwork, refused, transfer);
    }

    private Future<Tested> test(String id, String kind, String url, Credentials credentials, JsonObject settings,
                                boolean allowPrivateNetwork, Consumer<AddressNotAllowedException> refused,
                                TransferLimits limits) {
        UpstreamClient client;
        try {
            UpstreamPlugin plugin = kinds.apply(kind).orElseThrow(() ->
                    new IllegalStateException("no loaded plugin provides upstream kind " + kind));
            client = open(plugin, id, kind, url, credentials, settings, allowPrivateNetwork, refused, limits);
        } catch (RuntimeException e) {
            return Future.succeededFuture(new Tested(failed(e.getMessage()), false));
        }
        return client.testConnection()
                .recover(e -> Future.succeededFuture(failed("the connection test failed: " + e.getMessage())))
                .map(report -> new Tested(withoutSecrets(report, credentials), true))
                .onComplete(done -> client.close());
    }

    private UpstreamClient open(UpstreamPlugin plugin, String id, String kind, String url, Credentials credentials,
                                JsonObject settings, boolean allowPrivateNetwork,
                                Consumer<AddressNotAllowedException> refused, TransferLimits limits) {
        try {
            return plugin.open(new UpstreamConfig(id, kind, URI.create(url), credentials, settings, connectTimeout,
                    readTimeout, limits), contexts.contextFor(allowPrivateNetwork, refused));
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
