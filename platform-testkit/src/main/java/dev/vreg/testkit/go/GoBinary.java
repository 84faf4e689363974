package dev.vreg.testkit.go;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the {@code go} binary on {@code PATH}, once. */
final class GoBinary {

    private static Path located;

    private GoBinary() {
    }

    /**
     * The first executable {@code go} on {@code PATH}.
     *
     * @throws IllegalStateException when there is none; the Go fixtures exist to run the real go command, so a
     *                               missing binary fails the tests instead of skipping them
     */
    static synchronized Path locate() {
        if (located != null) {
            return located;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "go");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                located = candidate.toAbsolutePath();
                return located;
            }
        }
        throw new IllegalStateException("no go binary on PATH (" + path + "); the Go protocol tests run the real"
                + " go command, so install Go (1.24 or later) and put its bin directory on PATH");
    }
}
