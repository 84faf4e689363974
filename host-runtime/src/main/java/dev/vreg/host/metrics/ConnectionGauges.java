package dev.vreg.host.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps Vert.x's per-connection gauges out of the registry: every {@code vertx.*} gauge but those of the named pools
 * ({@code vertx.pool.*}, built once per pool). The Vert.x Micrometer binding builds and registers its connection and
 * client gauges ({@code vertx.net.client.active.connections}, {@code vertx.sql.processing.pending}, ...) again each
 * time a connection opens: every PostgreSQL connection of the pool and of the change listener, every connection to
 * an upstream or from a client. Micrometer 1.15 warns of a gauge registered twice ("Gauge has been already
 * registered", at every start) and then only at DEBUG for the rest of the JVM, hiding the next real one. A denied
 * meter is never looked up, so nothing is registered twice. Vert.x's counters and timers stay; vreg's own meters
 * tell what is in flight.
 */
public final class ConnectionGauges implements MeterFilter {

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        return id.getType() == Meter.Type.GAUGE && name.startsWith("vertx.") && !name.startsWith("vertx.pool.")
                ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }
}
