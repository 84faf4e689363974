package dev.vreg.host.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Times the admin API's requests by status class ({@code vreg_api_requests_seconds}), from the request to the
 * response's end; the package endpoints have meters of their own. The timers are registered once each and kept, so a
 * request costs no lookup by tags.
 */
final class ApiRequestMeter implements Handler<RoutingContext> {

    private static final Duration[] LATENCY = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** By status class, 1xx to 5xx at 1 to 5; 0 for a status outside them. */
    private final Timer[] timers = new Timer[6];

    ApiRequestMeter(MeterRegistry registry) {
        for (int i = 0; i < timers.length; i++) {
            timers[i] = Timer.builder("vreg.api.requests")
                    .description("Requests to the admin API, by status class")
                    .tags("status", i == 0 ? "other" : i + "xx")
                    .serviceLevelObjectives(LATENCY)
                    .register(registry);
        }
    }

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(ended -> {
            int status = ctx.response().getStatusCode();
            timers[status >= 100 && status < 600 ? status / 100 : 0]
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }
}
