package dev.vreg.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Clock;

/**
 * What the host hands to plugins. Plugins get no database handle and no global state: everything comes from here.
 */
public interface PluginContext {

    /** The host's Vert.x instance. */
    Vertx vertx();

    /**
     * A copy of the host's HTTP client defaults (timeouts, proxy, trusted certificates, user agent). Adjust the copy
     * and pass it to {@link #createHttpClient(HttpClientOptions)}.
     */
    HttpClientOptions httpClientOptions();

    /**
     * Creates an HTTP client; the plugin closes it when its {@link UpstreamClient} is closed. The client connects
     * only to addresses the instance lets upstreams use: every host name is resolved when a connection is opened
     * (redirect targets included) and a request to a refused address fails with an
     * {@link AddressNotAllowedException} before any packet is sent. The proxy is the host's: one set in
     * {@code options} is replaced, and requests may not name their own.
     */
    HttpClient createHttpClient(HttpClientOptions options);

    /** The clock to use for anything time-based, so tests can move time. */
    Clock clock();

    /** Where to register metrics; meter names should start with {@code vreg.}. */
    MeterRegistry meterRegistry();

    /** The host's version, e.g. {@code 0.1.0}. */
    String hostVersion();
}
