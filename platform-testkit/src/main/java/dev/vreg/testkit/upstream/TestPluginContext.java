package dev.vreg.testkit.upstream;

import dev.vreg.spi.PluginContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PluginContext} for plugin tests: a caller-owned {@link Vertx}, HTTP client defaults the test chooses (for
 * example a trust store for a TLS fixture), the system clock and an in-memory meter registry. It counts the HTTP
 * clients plugins create, so a test can check that a client reuses one.
 */
public final class TestPluginContext implements PluginContext {

    private final Vertx vertx;
    private final HttpClientOptions defaults;
    private final MeterRegistry meterRegistry = new SimpleMeterRegistry();
    private final AtomicInteger httpClientsCreated = new AtomicInteger();

    /** A context with Vert.x's own HTTP client defaults. */
    public TestPluginContext(Vertx vertx) {
        this(vertx, new HttpClientOptions());
    }

    /** A context whose {@link #httpClientOptions()} are copies of {@code defaults}. */
    public TestPluginContext(Vertx vertx, HttpClientOptions defaults) {
        this.vertx = vertx;
        this.defaults = new HttpClientOptions(defaults);
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
        httpClientsCreated.incrementAndGet();
        return vertx.createHttpClient(options);
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    @Override
    public String hostVersion() {
        return "0.1.0";
    }

    /** How many HTTP clients plugins created through this context. */
    public int httpClientsCreated() {
        return httpClientsCreated.get();
    }
}
