package dev.vreg.testkit.go;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one go command with exactly the given environment. Output goes to files rather than pipes, so a chatty
 * command can never block on a full pipe; the files stay in the tool's log directory for a failed test to read.
 */
final class GoProcess {

    private final Path logDir;
    private final Duration timeout;
    private final AtomicInteger runs = new AtomicInteger();

    GoProcess(Path logDir, Duration timeout) {
        this.logDir = logDir;
        this.timeout = timeout;
    }

    GoResult run(List<String> command, Path dir, Map<String, String> environment) {
        int n = runs.incrementAndGet();
        Path stdout = logDir.resolve(String.format("run-%03d.stdout", n));
        Path stderr = logDir.resolve(String.format("run-%03d.stderr", n));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        try {
            Files.createDirectories(logDir);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            return new GoResult(command, finished ? process.exitValue() : -1,
                    Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8),
                    !finished, took);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** Kills the go command and everything it started (compilers, linkers), which would otherwise live on. */
    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
