package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** initdb and pg_ctl for one data directory, run as the server account with their output in the server log. */
final class PgCtl {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * For pg_ctl, Java waits a little longer than pg_ctl's own -t, so pg_ctl gets to report its timeout itself;
     * initdb has no timeout of its own and gets the plain one.
     */
    private static final Duration BACKSTOP = TIMEOUT.plusSeconds(15);

    private static final Logger LOG = LoggerFactory.getLogger(PgCtl.class);

    private final Path bin;
    private final Path pgData;
    private final ServerAccount account;
    private final ServerLog log;

    PgCtl(Path bin, Path pgData, ServerAccount account, ServerLog log) {
        this.bin = bin;
        this.pgData = pgData;
        this.account = account;
        this.log = log;
    }

    Path pgData() {
        return pgData;
    }

    ServerLog log() {
        return log;
    }

    /** A new cluster in {@code target}: UTF-8, C locale, checksums, SCRAM for every connection. */
    void initdb(Path target, Path passwordFile, String superuser) throws IOException {
        long mark = log.mark();
        int exit = run(List.of(tool("initdb"), "-D", target.toString(), "-U", superuser,
                "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale",
                "--data-checksums", "--no-instructions"), mark, "initdb", TIMEOUT);
        if (exit != 0) {
            throw new IOException(log.explain("initdb failed with exit code " + exit, mark));
        }
    }

    /** A failed start; {@code portTaken} when another process bound the port between choosing and listening. */
    static final class StartFailure extends IOException {
        private static final long serialVersionUID = 1L;

        final boolean portTaken;

        StartFailure(String message, boolean portTaken) {
            super(message);
            this.portTaken = portTaken;
        }
    }

    /**
     * Starts the server and waits until it accepts connections. Loopback only, no Unix socket (pg_ctl -w reads
     * readiness from postmaster.pid, so it needs none), and settings sized for a metadata store next to vreg.
     */
    void start(int port) throws IOException {
        long mark = log.mark();
        String options = String.join(" ", "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "max_connections=100",
                "-c", "shared_buffers=64MB",
                "-c", "logging_collector=off");
        int exit = run(List.of(tool("pg_ctl"), "start", "-D", pgData.toString(), "-l", log.path().toString(),
                "-w", "-t", Long.toString(TIMEOUT.toSeconds()), "-o", options), mark, "pg_ctl start", BACKSTOP);
        if (exit != 0) {
            String tail = log.tailSince(mark);
            String reason = tail.contains("did not start in time")
                    ? "PostgreSQL did not become ready within " + TIMEOUT.toSeconds() + " s"
                    : "PostgreSQL failed to start (pg_ctl exit code " + exit + ")";
            stopQuietly("immediate");
            throw new StartFailure(log.explain(reason, mark), tail.contains("could not bind")
                    || tail.contains("Address already in use"));
        }
    }

    /** Stops the server in {@code mode} ("fast": roll back open transactions and checkpoint). */
    boolean stop(String mode) throws IOException {
        long mark = log.mark();
        int exit = run(List.of(tool("pg_ctl"), "stop", "-D", pgData.toString(), "-m", mode, "-w", "-t",
                Long.toString(TIMEOUT.toSeconds())), mark, "pg_ctl stop", BACKSTOP);
        return exit == 0;
    }

    /** Stops whatever runs on this directory, escalating to SIGKILL; returns whether nothing is left running. */
    boolean stopQuietly(String mode) {
        try {
            if (runningPid().isEmpty() || stop(mode) || runningPid().isEmpty()) {
                return true;
            }
            if (!mode.equals("immediate") && stop("immediate")) {
                return true;
            }
        } catch (IOException e) {
            LOG.warn("pg_ctl stop failed on {}: {}", pgData, e.getMessage());
        }
        OptionalLong pid = runningPid();
        if (pid.isPresent()) {
            LOG.warn("Killing PostgreSQL server process {} that did not stop", pid.getAsLong());
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
            awaitExit(pid.getAsLong());
        }
        return runningPid().isEmpty();
    }

    /** SIGKILL takes effect asynchronously; give the kernel a moment before looking again. */
    private void awaitExit(long pid) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (PostmasterPid.isServerFor(pid, pgData) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The postmaster's pid if one is running on this directory. */
    OptionalLong runningPid() {
        try {
            OptionalLong pid = PostmasterPid.read(pgData);
            return pid.isPresent() && PostmasterPid.isServerFor(pid.getAsLong(), pgData) ? pid : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private String tool(String name) {
        return bin.resolve(name).toString();
    }

    private int run(List<String> args, long mark, String what, Duration timeout) throws IOException {
        try {
            return Processes.runLogged(account.command(args), log.path(), timeout);
        } catch (IOException e) {
            throw new IOException(log.explain(what + ": " + e.getMessage(), mark), e);
        }
    }
}
