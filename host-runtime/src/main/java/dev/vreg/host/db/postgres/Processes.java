package dev.vreg.host.db.postgres;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the PostgreSQL tools as short-lived child processes with a bounded wait. */
final class Processes {

    /** Exit code and combined stdout/stderr of a finished process. */
    record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    /** Appends the process's stdout and stderr to {@code log}, so the operator finds them next to the server's. */
    static int runLogged(List<String> command, Path log, Duration timeout) throws IOException {
        ProcessBuilder builder = builder(command).redirectOutput(Redirect.appendTo(log.toFile()));
        return await(builder.start(), command, timeout);
    }

    /**
     * Collects the output through a file rather than a pipe, so a process that hangs cannot block the reader past
     * the timeout.
     */
    static Result runCaptured(List<String> command, Duration timeout) throws IOException {
        Path out = Files.createTempFile("vreg-pg-", ".out");
        try {
            int exitCode = runLogged(command, out, timeout);
            byte[] bytes = Files.readAllBytes(out);
            return new Result(exitCode, new String(bytes, StandardCharsets.UTF_8).trim());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(Redirect.from(new File("/dev/null")));
        // A clean environment keeps the operator's PGDATA, PGPORT, PGOPTIONS and locale out of the server, and LC_ALL=C
        // keeps the log in English so start failures such as "could not bind" can be recognised.
        Map<String, String> env = builder.environment();
        String tz = env.get("TZ");
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        if (tz != null) {
            env.put("TZ", tz);
        }
        return builder;
    }

    private static int await(Process process, List<String> command, Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new IOException(name(command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + name(command));
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The tool's file name, skipping the setpriv prefix, for messages. */
    static String name(List<String> command) {
        int separator = command.indexOf("--");
        String executable = command.get(separator >= 0 ? separator + 1 : 0);
        return Path.of(executable).getFileName().toString();
    }
}
