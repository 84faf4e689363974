package dev.vreg.host.db.postgres;

import dev.vreg.host.db.DatabaseHealth;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embedded server and restarts it when it dies (killed, crashed, out of memory), with backoff between
 * attempts, each logged. While it is down {@link DatabaseHealth} says it is recovering; once it has stayed down for
 * {@code giveUpAfter}, or its cluster directory is gone, it says the node failed, so a liveness probe replaces the
 * node. Attempts go on all the same, in case the cause goes away.
 *
 * <p>It polls the postmaster's pid in /proc on its own thread: restarting blocks for seconds, and a poll costs two
 * small file reads.
 */
public final class EmbeddedSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSupervisor.class);

    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final EmbeddedPostgres postgres;
    private final DatabaseHealth health;
    private final Duration giveUpAfter;
    private final Thread thread;
    private volatile boolean stopped;

    private EmbeddedSupervisor(EmbeddedPostgres postgres, DatabaseHealth health, Duration giveUpAfter) {
        this.postgres = postgres;
        this.health = health;
        this.giveUpAfter = giveUpAfter;
        this.thread = new Thread(this::watch, "vreg-postgres-supervisor");
        this.thread.setDaemon(true);
    }

    public static EmbeddedSupervisor start(EmbeddedPostgres postgres, DatabaseHealth health, Duration giveUpAfter) {
        EmbeddedSupervisor supervisor = new EmbeddedSupervisor(postgres, health, giveUpAfter);
        supervisor.thread.start();
        return supervisor;
    }

    private void watch() {
        while (pause(CHECK_INTERVAL)) {
            if (!postgres.running() && !postgres.closed()) {
                recover();
            }
        }
    }

    private void recover() {
        long downSince = System.nanoTime();
        health.markRecovering("the embedded PostgreSQL server stopped; it is being restarted");
        LOG.error("The embedded PostgreSQL server on {} stopped unexpectedly; restarting it (its log: {})",
                postgres.pgData(), postgres.logFile());
        Duration delay = FIRST_RETRY;
        for (int attempt = 1; !stopped && !postgres.closed(); attempt++) {
            String failure;
            if (!postgres.clusterExists()) {
                failure = "its cluster directory " + postgres.pgData() + " no longer holds a cluster";
            } else {
                try {
                    postgres.restart();
                    LOG.info("The embedded PostgreSQL server is running again after {} attempt(s) and {} ms down",
                            attempt, (System.nanoTime() - downSince) / 1_000_000);
                    health.markUp();
                    return;
                } catch (IOException | RuntimeException e) {
                    failure = e.getMessage();
                }
            }
            Duration down = Duration.ofNanos(System.nanoTime() - downSince);
            LOG.warn("Restart attempt {} of the embedded PostgreSQL server failed ({} s down): {}", attempt,
                    down.toSeconds(), failure);
            boolean hopeless = !postgres.clusterExists() || down.compareTo(giveUpAfter) >= 0;
            if (hopeless && health.state() != DatabaseHealth.State.FAILED) {
                LOG.error("The embedded PostgreSQL server could not be restarted ({} attempt(s) in {} s); /healthz "
                        + "now fails so that this node is replaced. Last failure: {}", attempt, down.toSeconds(),
                        failure);
                health.markFailed("the embedded PostgreSQL server could not be restarted: " + firstLine(failure));
            }
            if (!pause(delay)) {
                return;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
        }
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** Sleeps; false once the supervisor is stopped. */
    private boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopped;
    }

    /** Stops watching, interrupting a restart under way, and waits for the thread. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
