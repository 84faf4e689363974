package dev.vreg.host.stats;

import java.time.Instant;

/** One row of {@code upstream_stats}. */
record UpstreamKey(Period period, Instant bucket, long upstreamId) {
}
