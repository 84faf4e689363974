package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code postgres.log}: the output of initdb, pg_ctl and the server. Failures quote its tail, from the position marked
 * before the failing step, so the operator sees the server's own explanation.
 */
final class ServerLog {

    /** Past this size the log moves aside to {@code .1} at start, so a long-lived installation keeps two at most. */
    private static final long ROTATE_BYTES = 10L * 1024 * 1024;
    private static final int TAIL_BYTES = 4096;

    private final Path file;

    private ServerLog(Path file) {
        this.file = file;
    }

    /** The server account appends to the file itself (pg_ctl -l), so it must own it. */
    static ServerLog open(Path file, ServerAccount account) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > ROTATE_BYTES) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        }
        account.own(file);
        return new ServerLog(file);
    }

    Path path() {
        return file;
    }

    long mark() throws IOException {
        return Files.size(file);
    }

    /** Up to the last 4 KiB written since {@code mark}, starting at a line boundary. */
    String tailSince(long mark) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long start = Math.max(Math.min(mark, end), end - TAIL_BYTES);
            byte[] bytes = new byte[(int) (end - start)];
            in.seek(start);
            in.readFully(bytes);
            String tail = new String(bytes, StandardCharsets.UTF_8);
            int newline = tail.indexOf('\n');
            return start > mark && newline >= 0 ? tail.substring(newline + 1) : tail;
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** A message ending in the log tail, for exceptions. */
    String explain(String message, long mark) {
        String tail = tailSince(mark).strip();
        return message + " (log: " + file + ")" + (tail.isEmpty() ? "" : "\n--- postgres.log ---\n" + tail);
    }
}
