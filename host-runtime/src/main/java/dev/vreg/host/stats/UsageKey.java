package dev.vreg.host.stats;

import java.time.Instant;

/**
 * One row of {@code usage_stats}: a registry's requests for one module's files of one kind in one bucket, answered
 * with the copy of {@code upstreamId} (0: of no single upstream).
 */
record UsageKey(Period period, Instant bucket, long registryId, long upstreamId, String module, String fileKind) {
}
