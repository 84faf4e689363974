package dev.vreg.host.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps Vert.x's per-connection gauges out of the registry: every {@code vertx.*} gauge but those of the named pools
 * ({@code vertx.pool.*}, built once per pool), and of those not the HTTP client's endpoint pools. The Vert.x
 * Micrometer binding builds and registers its connection and client gauges ({@code
 * vertx.net.client.active.connections}, {@code vertx.sql.processing.pending}, ...) again each time a connection
 * opens: every PostgreSQL connection of the pool and of the change listener, every connection to an upstream or from
 * a client. An HTTP client's pool per endpoint ({@code pool_type=http}, named {@code host:port}) is built by each
 * client that connects there, and two upstreams, or an upstream and the checksum database reader, often share an
 * address. Micrometer 1.15 warns of a gauge registered twice ("Gauge has been already registered") and then only at
 * DEBUG for the rest of the JVM, hiding the next real one. A denied meter is never looked up, so nothing is
 * registered twice. Vert.x's counters and timers stay; vreg's own meters tell what is in flight per upstream.
 */
public final class ConnectionGauges implements MeterFilter {

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        String name = id.getName();
        if (id.getType() != Meter.Type.GAUGE || !name.startsWith("vertx.")) {
            return MeterFilterReply.NEUTRAL;
        }
        boolean namedPool = name.startsWith("vertx.pool.") && !"http".equals(id.getTag("pool_type"));
        return namedPool ? MeterFilterReply.NEUTRAL : MeterFilterReply.DENY;
    }
}
