package dev.vreg.testkit.go;

import java.time.Duration;
import java.util.List;

/**
 * What one run of the go command did.
 *
 * @param command  the command line, starting with the go binary
 * @param exitCode the exit code, or -1 when the run timed out and was killed
 * @param stdout   standard output, UTF-8
 * @param stderr   standard error, UTF-8
 * @param timedOut whether the run was killed for taking longer than the tool's timeout
 * @param duration how long the run took
 */
public record GoResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut,
                       Duration duration) {

    /** Whether the command exited with 0. */
    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /**
     * Returns this result when the command succeeded.
     *
     * @throws AssertionError with the command and its output otherwise, so a failed test shows what go said
     */
    public GoResult assertSuccess() {
        if (!succeeded()) {
            throw new AssertionError("go command failed: " + this);
        }
        return this;
    }

    /**
     * Returns this result when the command failed (exited non-zero, not by timeout).
     *
     * @throws AssertionError with the command and its output otherwise
     */
    public GoResult assertFailure() {
        if (succeeded() || timedOut) {
            throw new AssertionError("go command was expected to fail: " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", command)
                + (timedOut ? " (killed after " + duration.toSeconds() + " s)" : " (exit " + exitCode + ")")
                + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
