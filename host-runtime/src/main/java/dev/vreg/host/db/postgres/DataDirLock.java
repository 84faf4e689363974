package dev.vreg.host.db.postgres;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS lock on {@code <dataDir>/postgres.lock} for as long as a vreg process drives the server there. The OS drops
 * it when that process dies, however it dies, so holding it proves that any server still running on the directory was
 * left behind and may be stopped.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DataDirInUseException("The embedded PostgreSQL in " + file.getParent() + " is already in use"
                    + " by another vreg process (or another instance in this one); stop it or give this one its own"
                    + " data directory.");
        }
        return new DataDirLock(channel, lock);
    }

    /** Idempotent: a failed start releases the lock on more than one path. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The channel is going away either way, and the OS releases the lock with it.
        }
    }
}
