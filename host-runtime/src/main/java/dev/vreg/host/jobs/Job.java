package dev.vreg.host.jobs;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Work that runs every {@code every} on one node of the fleet at a time.
 *
 * @param name  unique among the jobs, shown in the admin API
 * @param kind  the job's kind, the {@code job} label of its meters (a bounded set, unlike names)
 * @param every how long after a run started the next one is due
 * @param paused not run on its schedule, only when asked to run now
 */
public record Job(String name, String kind, Duration every, boolean paused, Work work) {

    /** One run of a job; its future fails when the run did. */
    @FunctionalInterface
    public interface Work {
        Future<?> run(JobRun run);
    }

    public Job(String name, String kind, Duration every, Work work) {
        this(name, kind, every, false, work);
    }

    public Job {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("job " + name + " needs a positive interval");
        }
    }
}
