package dev.vreg.host.stats;

import java.time.Instant;

/** One row of {@code upstream_error_stats}: an upstream's failures of one kind in one bucket. */
record ErrorKey(Period period, Instant bucket, long upstreamId, String kind) {
}
