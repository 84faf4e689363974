package dev.vreg.host.plugins;

import dev.vreg.host.upstream.address.AddressRule;
import dev.vreg.host.upstream.address.GuardedAddressResolver;
import dev.vreg.host.upstream.address.GuardedHttpClient;
import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.PluginContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The host side of {@link PluginContext}: one per node, shared by every plugin, and one derived from it per upstream
 * ({@link #forUpstream}). The HTTP clients it creates connect only where the {@link AddressRule} allows: the check
 * runs on the resolved address each time a connection is opened, in the client itself, so it covers every plugin,
 * every redirect and every later change of what a name resolves to. The host's own connections (PostgreSQL) do not
 * go through it.
 */
public final class HostPluginContext implements PluginContext {

    private final Vertx vertx;
    private final HttpClientOptions defaults;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String hostVersion;
    private final AddressRule rule;
    private final Consumer<AddressNotAllowedException> refused;

    public HostPluginContext(Vertx vertx, Duration connectTimeout, Duration readTimeout, Clock clock,
                             MeterRegistry meters, String hostVersion, AddressRule rule) {
        this(vertx, new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setIdleTimeout((int) Math.max(1, readTimeout.toSeconds()))
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setTrustAll(false)
                .setVerifyHost(true), clock, meters, hostVersion, rule, refusal -> {
                });
    }

    private HostPluginContext(Vertx vertx, HttpClientOptions defaults, Clock clock, MeterRegistry meters,
                              String hostVersion, AddressRule rule, Consumer<AddressNotAllowedException> refused) {
        this.vertx = vertx;
        this.defaults = defaults;
        this.clock = clock;
        this.meters = meters;
        this.hostVersion = hostVersion;
        this.rule = rule;
        this.refused = refused;
    }

    /**
     * The context to open one upstream's client with: its HTTP clients follow this node's rule, or none when an
     * instance admin allowed the upstream into private networks, and tell {@code refused} of each connection they
     * refuse.
     */
    public PluginContext forUpstream(boolean allowPrivateNetwork, Consumer<AddressNotAllowedException> refused) {
        return new HostPluginContext(vertx, defaults, clock, meters, hostVersion,
                rule.forUpstream(allowPrivateNetwork), refused);
    }

    @Override
    public Vertx vertx() {
        return vertx;
    }

    @Override
    public HttpClientOptions httpClientOptions() {
        return new HttpClientOptions(defaults);
    }

    @Override
    public HttpClient createHttpClient(HttpClientOptions options) {
        HttpClientOptions effective = new HttpClientOptions(options).setProxyOptions(defaults.getProxyOptions());
        return new GuardedHttpClient(vertx.httpClientBuilder()
                .with(effective)
                .with(new PoolOptions().setHttp1MaxSize(64).setHttp2MaxSize(8))
                .withAddressResolver(new GuardedAddressResolver(rule, refused))
                .build());
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public MeterRegistry meterRegistry() {
        return meters;
    }

    @Override
    public String hostVersion() {
        return hostVersion;
    }
}
