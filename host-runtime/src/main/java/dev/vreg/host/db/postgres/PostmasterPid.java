package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads {@code postmaster.pid} and looks the process up in /proc. /proc rather than ProcessHandle, because
 * ProcessHandle counts an unreaped zombie as alive, and a server whose vreg died is reparented to whatever init the
 * container has, which may never reap it.
 */
final class PostmasterPid {

    private PostmasterPid() {
    }

    static OptionalLong read(Path pgData) throws IOException {
        try {
            List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (NoSuchFileException | NumberFormatException e) {
            // Absent, or cut short by a crash while being written: either way no server to look for.
            return OptionalLong.empty();
        }
    }

    /**
     * Whether {@code pid} is a live postmaster for {@code pgData}. The command line is checked too, so a recycled pid
     * that now belongs to another PostgreSQL (another vreg's, say) is never taken for this one.
     */
    static boolean isServerFor(long pid, Path pgData) {
        if (!isRunningPostgres(pid)) {
            return false;
        }
        try {
            byte[] cmdline = Files.readAllBytes(proc(pid).resolve("cmdline"));
            return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0")).contains(pgData.toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** A running (not zombie) process named {@code postgres}: a postmaster or one of its children. */
    static boolean isRunningPostgres(long pid) {
        String stat;
        try {
            stat = Files.readString(proc(pid).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return false;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        return stat.substring(open + 1, close).equals("postgres") && state != 'Z' && state != 'X';
    }

    /** Whether any process, zombies included, has this pid. */
    static boolean exists(long pid) {
        return Files.exists(proc(pid));
    }

    private static Path proc(long pid) {
        return Path.of("/proc", Long.toString(pid));
    }
}
