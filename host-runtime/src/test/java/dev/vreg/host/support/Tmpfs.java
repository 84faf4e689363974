package dev.vreg.host.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for a test, so vreg meets a really full filesystem: the kernel's own ENOSPC, on file
 * creation, write, flush and close exactly as a full data disk gives it. Mounting needs root, as the test machines
 * run the suite; where it cannot mount, the test fails with the reason instead of skipping.
 */
public final class Tmpfs implements AutoCloseable {

    private static final int PAGE = 4096;

    private final Path dir;
    private final Path filler;

    private Tmpfs(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a tmpfs of {@code kib} KiB on {@code dir}, which is created if needed. */
    public static Tmpfs mount(Path dir, int kib) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0755", "tmpfs", dir.toString());
        return new Tmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Takes every free byte: the next write of anyone on this filesystem fails with "No space left on device". */
    public void fill() {
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            byte[] chunk = new byte[PAGE];
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw new UncheckedIOException(full);
            }
        }
    }

    /** Takes every free byte but {@code bytes} (whole pages), so a write fails once it has got that far. */
    public void fillLeaving(long bytes) {
        fill();
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            long pages = (bytes + PAGE - 1) / PAGE;
            channel.truncate(Math.max(0, channel.size() - pages * PAGE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives all space back. */
    public void free() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        run("umount", "-l", dir.toString());
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (this test needs root to "
                        + "mount a tmpfs): " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
