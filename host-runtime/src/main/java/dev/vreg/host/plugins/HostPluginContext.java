package dev.vreg.host.plugins;

import dev.vreg.spi.PluginContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.time.Duration;

/** The host side of {@link PluginContext}: one per node, shared by every plugin. */
public final class HostPluginContext implements PluginContext {

    private final Vertx vertx;
    private final HttpClientOptions defaults;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String hostVersion;

    public HostPluginContext(Vertx vertx, Duration connectTimeout, Duration readTimeout, Clock clock,
                             MeterRegistry meters, String hostVersion) {
        this.vertx = vertx;
        this.clock = clock;
        this.meters = meters;
        this.hostVersion = hostVersion;
        this.defaults = new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setIdleTimeout((int) Math.max(1, readTimeout.toSeconds()))
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setTrustAll(false)
                .setVerifyHost(true);
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
        return vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp1MaxSize(64).setHttp2MaxSize(8))
                .build();
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
