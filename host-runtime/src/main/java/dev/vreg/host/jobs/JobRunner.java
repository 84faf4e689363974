package dev.vreg.host.jobs;

import dev.vreg.host.cluster.AdvisoryLocks;
import dev.vreg.host.stats.UsageMeters;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduled jobs on one node of the fleet at a time. Every node ticks; at a tick it tries, for each due job, the
 * job's PostgreSQL advisory lock ({@link AdvisoryLocks}, a session of its own), and only the node that got it runs
 * the job, holding the lock until the run ends. Whether the job is due is read again under the lock, so a node
 * whose tick comes just after another node's run does not run it again. When the node running a job dies, or its
 * lock session drops, PostgreSQL releases the lock and the run stays recorded as running: the next node to tick
 * takes the lock and runs the job again.
 *
 * <p>A run that lost its lock goes on to its end on its node (the work of every job may run twice at once); the
 * record of the run that took over is the one kept ({@link JobStore#finished}).
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR = 2000;

    private final Vertx vertx;
    private final JobStore store;
    private final AdvisoryLocks locks;
    private final UsageMeters meters;
    private final Clock clock;
    private final String node;
    private final List<Job> fixed = new CopyOnWriteArrayList<>();
    private final List<JobSource> sources = new CopyOnWriteArrayList<>();
    /** Jobs this node is running: the lock is the session's, so it would be granted to this node again. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private long timer = -1;

    public JobRunner(Vertx vertx, JobStore store, AdvisoryLocks locks, UsageMeters meters, Clock clock, String node) {
        this.vertx = vertx;
        this.store = store;
        this.locks = locks;
        this.meters = meters;
        this.clock = clock;
        this.node = node;
    }

    /** This node's name in the jobs' records: its host name and process id unless configured. */
    public static String defaultNodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    public String node() {
        return node;
    }

    public JobStore store() {
        return store;
    }

    public JobRunner add(Job job) {
        fixed.add(job);
        return this;
    }

    public JobRunner add(JobSource source) {
        sources.add(source);
        return this;
    }

    /** Ticks every {@code tick} from now on. */
    public JobRunner start(Duration tick) {
        timer = vertx.setPeriodic(tick.toMillis(), tick.toMillis(), id -> tick());
        return this;
    }

    /** Every job there is now: the fixed ones and those of the sources. */
    public Future<List<Job>> jobs() {
        List<Future<List<Job>>> asked = sources.stream().map(JobSource::jobs).toList();
        return Future.all(asked).map(all -> {
            List<Job> jobs = new ArrayList<>(fixed);
            asked.forEach(f -> jobs.addAll(f.result()));
            return jobs;
        });
    }

    /**
     * Starts every due job this node can lock; completes once each has started or been left to another node (not
     * when the runs end). A tick still going when the next is due makes that one a no-op.
     */
    public Future<Void> tick() {
        if (!ticking.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return jobs().compose(jobs -> store.states().compose(states -> {
            Instant now = clock.instant();
            List<Future<?>> attempts = new ArrayList<>();
            for (Job job : jobs) {
                if (!job.paused() && !running.contains(job.name())
                        && JobStore.State.due(states.get(job.name()), job.every(), now)) {
                    attempts.add(attempt(job, false).recover(e -> {
                        LOG.warn("Could not start job {}: {}", job.name(), e.getMessage());
                        return Future.succeededFuture();
                    }));
                }
            }
            return Future.join(attempts).<Void>mapEmpty();
        })).onFailure(e -> LOG.warn("Scheduled jobs could not be read: {}", e.getMessage()))
                .andThen(done -> ticking.set(false));
    }

    /**
     * Runs the job {@code name} now, whether due or not; completes when it has started, with its record. Fails
     * with {@link ErrorKind#CONFLICT} while a run is in progress on this or another node.
     */
    public Future<JobStore.State> runNow(String name) {
        return jobs().compose(jobs -> {
            Job job = jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElse(null);
            if (job == null) {
                return Future.failedFuture(VregException.notFound("there is no job " + name));
            }
            return attempt(job, true).compose(started -> started != null ? Future.succeededFuture(started)
                    : store.state(name).compose(state -> Future.failedFuture(new VregException(ErrorKind.CONFLICT,
                            "job " + name + " is running" + (state != null && state.node() != null
                                    ? " on node " + state.node() : "")))));
        });
    }

    /** The jobs with their last runs, for the admin API. */
    public Future<JsonArray> describe() {
        return jobs().compose(jobs -> store.states().map(states -> {
            JsonArray list = new JsonArray();
            jobs.stream().sorted(Comparator.comparing(Job::name)).forEach(job -> {
                JobStore.State state = states.get(job.name());
                list.add(new JsonObject().put("name", job.name()).put("kind", job.kind())
                        .put("everySeconds", job.every().toSeconds()).put("paused", job.paused())
                        .put("lastRun", state == null || state.startedAt() == null ? null : state.json())
                        .put("nextRunAt", JobStore.text(job.paused() || state == null || state.startedAt() == null
                                || state.running() ? null : state.startedAt().plus(job.every()))));
            });
            return list;
        }));
    }

    /**
     * Takes the job's lock and, when it is still due (or {@code manual}), records the start and runs it; answers the
     * started run's record, or {@code null} when another node holds the lock or ran the job meanwhile.
     */
    private Future<JobStore.State> attempt(Job job, boolean manual) {
        if (!running.add(job.name())) {
            return Future.succeededFuture(null);
        }
        return locks.tryLock(lockKey(job.name())).compose(held -> {
            if (held == null) {
                running.remove(job.name());
                return Future.succeededFuture(null);
            }
            Instant now = clock.instant();
            return store.state(job.name()).compose(state -> {
                if (!manual && !JobStore.State.due(state, job.every(), now)) {
                    return Future.<JobStore.State>succeededFuture(null);
                }
                if (state != null && state.running()) {
                    LOG.warn("Job {} was left running by node {} since {}; running it again on {}", job.name(),
                            state.node(), state.startedAt(), node);
                }
                return store.started(job, node, now).map(run -> {
                    execute(job, new JobRun(job.name(), node, now, manual), run, held);
                    return new JobStore.State(job.name(), run, now, null, JobStore.State.RUNNING, null, node);
                });
            }).andThen(started -> {
                if (started.failed() || started.result() == null) {
                    running.remove(job.name());
                    locks.unlock(held);
                }
            });
        }, e -> {
            running.remove(job.name());
            return Future.failedFuture(e);
        });
    }

    private void execute(Job job, JobRun run, long number, AdvisoryLocks.Held held) {
        Future<?> work;
        try {
            work = job.work().run(run);
        } catch (RuntimeException e) {
            work = Future.failedFuture(e);
        }
        meters.job(job.kind(), work).transform(done -> {
            String error = done.succeeded() ? null : message(done.cause());
            if (error != null) {
                LOG.warn("Job {} failed on {}: {}", job.name(), node, error);
            }
            return store.finished(job.name(), number, clock.instant(), error);
        }).onComplete(recorded -> {
            if (recorded.failed()) {
                LOG.warn("Could not record the end of job {}: {}", job.name(), recorded.cause().getMessage());
            } else if (!recorded.result()) {
                LOG.info("Job {} ended on {} after another node took it over", job.name(), node);
            }
            running.remove(job.name());
            locks.unlock(held);
        });
    }

    private static String message(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }

    /** The advisory lock of a job: 64 bits of a hash of its name, in a space of its own by the prefix. */
    static long lockKey(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("vreg.job:" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** For tests: the jobs running on this node. */
    public Set<String> runningHere() {
        return Set.copyOf(running);
    }
}
