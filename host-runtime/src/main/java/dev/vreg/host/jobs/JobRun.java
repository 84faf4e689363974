package dev.vreg.host.jobs;

import java.time.Instant;

/**
 * A run of a job as its work sees it.
 *
 * @param manual whether someone asked for it ("run now") rather than the schedule
 */
public record JobRun(String job, String node, Instant startedAt, boolean manual) {
}
