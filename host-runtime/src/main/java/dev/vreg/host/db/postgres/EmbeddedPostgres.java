package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that vreg runs itself when no database is configured. Everything lives under the data
 * directory: the cluster in {@code postgres/}, its superuser password in {@code postgres.password}, server output in
 * {@code postgres.log} and the unpacked binaries in {@code pg-dist/}. The server listens on 127.0.0.1 only, on a port
 * chosen afresh at each start, and accepts SCRAM password logins only.
 *
 * <p>{@link #close()} stops it. A JVM shutdown hook stops it too, so an interrupted vreg does not leave it running;
 * and should vreg die without running hooks, the next start on the same directory stops the server left behind.
 * Should the server die while vreg runs, {@link #restart()} starts it again ({@link EmbeddedSupervisor} watches).
 */
public final class EmbeddedPostgres implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    static final String SUPERUSER = "vreg";
    static final String DATABASE = "vreg";
    static final String CLUSTER_DIR = "postgres";
    static final String PASSWORD_FILE = "postgres.password";
    static final String LOCK_FILE = "postgres.lock";

    /** A port chosen free can be taken by someone else before the server binds it; that is retried. */
    private static final int START_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);

    private final PgCtl ctl;
    private final DataDirLock lock;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private volatile Runnable beforeExitStop = () -> { };
    private volatile int port;

    private EmbeddedPostgres(PgCtl ctl, DataDirLock lock, String password) {
        this.ctl = ctl;
        this.lock = lock;
        this.password = password;
        this.shutdownHook = new Thread(() -> {
            try {
                beforeExitStop.run();
            } finally {
                close();
            }
        }, "vreg-postgres-shutdown");
    }

    /**
     * Starts the server for {@code dataDir}, creating the directory, binaries and cluster as needed, and returns once
     * the {@link #database()} accepts connections. Blocking: call it from a worker thread.
     *
     * @throws DataDirInUseException when another vreg process (or another instance in this one) drives the directory
     */
    public static EmbeddedPostgres start(Path dataDir) throws IOException {
        return start(dataDir, null);
    }

    /**
     * Whether {@code dataDir} holds a cluster made by an earlier start. Tools that work on an existing vreg check it
     * first, since {@link #start(Path)} would create an empty cluster in a mistyped directory.
     */
    public static boolean exists(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve(CLUSTER_DIR).resolve("PG_VERSION"));
    }

    /**
     * As {@link #start(Path)}, with the binaries unpacked under {@code distRoot} instead (when not null), a directory
     * several processes may share.
     */
    public static EmbeddedPostgres start(Path dataDir, Path distRoot) throws IOException {
        Platform.requireSupported();
        Files.createDirectories(dataDir);
        Path dir = dataDir.toRealPath();
        ServerAccount account = ServerAccount.detect();
        account.requireReachable(dir);
        DataDirLock lock = DataDirLock.acquire(dir.resolve(LOCK_FILE));
        EmbeddedPostgres postgres;
        try {
            long started = System.nanoTime();
            Path dist = PgDistribution.install(distRoot != null ? distRoot : dir.resolve("pg-dist"));
            ServerLog log = ServerLog.open(dir.resolve("postgres.log"), account);
            PgCtl ctl = new PgCtl(dist.resolve("bin"), dir.resolve(CLUSTER_DIR), account, log);
            stopLeftover(ctl);
            String password = ClusterSetup.ensureCluster(ctl, account, dir.resolve(PASSWORD_FILE), SUPERUSER);
            postgres = new EmbeddedPostgres(ctl, lock, password);
            postgres.run();
            LOG.info("PostgreSQL listening on {}:{} with data in {} (started in {} ms, log: {})", HOST,
                    postgres.port, ctl.pgData(), (System.nanoTime() - started) / 1_000_000, log.path());
            return postgres;
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Runs while this process holds the directory's lock, so a server still running there was left by a vreg that
     * died without stopping it, and is stopped. A postmaster.pid naming a process that is gone is left for
     * PostgreSQL, which replaces it itself; one naming a process that exists but is no server for this directory (an
     * unreaped zombie, a recycled pid) is removed, since PostgreSQL would take it for a live server. Orphaned backends
     * still attached to the old shared memory make PostgreSQL refuse to start either way.
     */
    private static void stopLeftover(PgCtl ctl) throws IOException {
        OptionalLong recorded = PostmasterPid.read(ctl.pgData());
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.getAsLong();
        if (!PostmasterPid.isServerFor(pid, ctl.pgData())) {
            if (PostmasterPid.exists(pid)) {
                LOG.info("Removing postmaster.pid of {}: process {} is not its server", ctl.pgData(), pid);
                Files.deleteIfExists(ctl.pgData().resolve("postmaster.pid"));
            }
            return;
        }
        LOG.warn("PostgreSQL server {} left running on {} by an earlier vreg; stopping it", pid, ctl.pgData());
        if (!ctl.stopQuietly("fast")) {
            throw new IOException("A PostgreSQL server (pid " + pid + ") left running by an earlier vreg on "
                    + ctl.pgData() + " could not be stopped; stop it (kill " + pid + ") and start vreg again.");
        }
    }

    /** Whether the server is running; false once it was stopped, or died. Reads /proc only, so it is cheap. */
    public boolean running() {
        return !closed.get() && ctl.runningPid().isPresent();
    }

    /** Whether {@link #close()} was called: the server is meant to be stopped and is not restarted. */
    public boolean closed() {
        return closed.get();
    }

    /** Whether the cluster directory still holds the cluster; without it no restart can succeed. */
    public boolean clusterExists() {
        return Files.isRegularFile(ctl.pgData().resolve("PG_VERSION"));
    }

    /**
     * Starts the server again after it stopped unasked (killed, crashed, out of memory). PostgreSQL replays its
     * write-ahead log on start, so what was committed survives. The port stays the same, so connections configured
     * before find it again, unless another process took it meanwhile. Blocking.
     */
    public synchronized void restart() throws IOException {
        if (closed.get()) {
            throw new IOException("the embedded PostgreSQL server was stopped and is not restarted");
        }
        long started = System.nanoTime();
        // A killed postmaster's pid file may name its unreaped zombie, which PostgreSQL would take for a live server.
        stopLeftover(ctl);
        for (int attempt = 1; ; attempt++) {
            try {
                ctl.start(port);
                break;
            } catch (PgCtl.StartFailure e) {
                if (!e.portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
                int taken = port;
                port = freePort();
                LOG.warn("Port {} was taken while PostgreSQL was down; restarting it on port {}", taken, port);
            }
        }
        LOG.info("PostgreSQL restarted on {}:{} with data in {} (in {} ms)", HOST, port, ctl.pgData(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The server's log, where PostgreSQL says why it stopped or would not start. */
    public Path logFile() {
        return ctl.log().path();
    }

    /** Registers the safety-net hook before the server exists, so Ctrl-C during start-up also stops it. */
    private void run() throws IOException {
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            for (int attempt = 1; ; attempt++) {
                port = freePort();
                try {
                    ctl.start(port);
                    break;
                } catch (PgCtl.StartFailure e) {
                    if (!e.portTaken || attempt == START_ATTEMPTS) {
                        throw e;
                    }
                    LOG.info("Port {} was taken before PostgreSQL could bind it; trying another", port);
                }
            }
            ClusterSetup.ensureDatabase(port, SUPERUSER, password, DATABASE);
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public String database() {
        return DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    /** The cluster directory, {@code <dataDir>/postgres}. */
    public Path pgData() {
        return ctl.pgData();
    }

    /**
     * Makes the safety net run {@code orderlyStop} before it stops the server when the JVM exits. Shutdown hooks run
     * side by side, so without it the server would go away under its owner's own orderly stop, which still writes.
     */
    public void beforeExitStop(Runnable orderlyStop) {
        this.beforeExitStop = orderlyStop;
    }

    /**
     * Stops the server (fast shutdown: open transactions roll back) and waits for it. Idempotent. A restart under
     * way finishes first, so the server it starts is stopped too.
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook may be running, and close() is idempotent.
            }
        }
        try {
            if (!ctl.stopQuietly("fast")) {
                LOG.error("PostgreSQL on {} did not stop; see {}", ctl.pgData(), ctl.log().path());
            }
        } finally {
            lock.close();
        }
    }
}
