package dev.vreg.host.proxy;

import dev.vreg.host.storage.StorageFailures.Operation;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The temporary file a fetched body is written to, and the SHA-256 of what was written, both on a {@link SerialWorker}
 * of their own: each batch of buffers is hashed and written with one gathering write, in order, beside the event loop
 * that receives the body and beside the format's check. The file is opened by the first batch; {@link #finish} flushes
 * it to disk, checks that it holds every byte, closes it and answers the digest, in one task.
 *
 * <p>A failure is a {@link Failure} naming what the file system was doing; the file is left for the caller to
 * discard.
 */
final class BodyFile {

    /** A failed file-system call and which one it was. */
    static final class Failure extends IOException {

        private final transient Operation operation;

        Failure(Operation operation, IOException cause) {
            super(cause.getMessage(), cause);
            this.operation = operation;
        }

        Operation operation() {
            return operation;
        }
    }

    /** What was written: the file's SHA-256 in hex and its length. */
    record Written(String sha256, long bytes) {
    }

    private final SerialWorker worker;
    private final Path path;
    // Only the worker's tasks touch these, one after another.
    private final MessageDigest sha256;
    private FileChannel channel;
    private long written;
    private boolean closed;
    private boolean finished;
    private Failure failure;

    BodyFile(SerialWorker worker, Path path) {
        this.worker = worker;
        this.path = path;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Hashes and appends {@code batch}, whose buffers must not change until the answer; answers the bytes written.
     * Once a write has failed, every later one fails the same way, and so does {@link #finish}.
     */
    Future<Long> write(ByteBuffer[] batch) {
        return worker.submit(() -> {
            if (failure != null) {
                throw failure;
            }
            long length = 0;
            for (ByteBuffer buffer : batch) {
                length += buffer.remaining();
                sha256.update(buffer.duplicate());
            }
            FileChannel file = open();
            long left = length;
            try {
                while (left > 0) {
                    left -= file.write(batch);
                }
            } catch (IOException e) {
                failure = new Failure(Operation.WRITE, e);
                throw failure;
            }
            written += length;
            return length;
        });
    }

    /**
     * After the last batch: flushes the file to disk, checks that it holds the {@code expected} bytes, closes it and
     * answers its digest. The file is closed whatever failed.
     */
    Future<Written> finish(long expected) {
        return worker.submit(() -> {
            if (failure != null) {
                closeQuietly();
                throw failure;
            }
            FileChannel file = open();
            try {
                try {
                    file.force(false);
                } catch (IOException e) {
                    throw new Failure(Operation.SYNC, e);
                }
                long size;
                try {
                    size = file.size();
                } catch (IOException e) {
                    throw new Failure(Operation.VERIFY, e);
                }
                if (size != expected || written != expected) {
                    throw new Failure(Operation.VERIFY, new IOException("the temporary file has " + size + " of the "
                            + expected + " bytes written to it"));
                }
            } catch (Failure e) {
                closeQuietly();
                throw e;
            }
            closed = true;
            try {
                file.close();
            } catch (IOException e) {
                throw new Failure(Operation.CLOSE, e);
            }
            finished = true;
            return new Written(HexFormat.of().formatHex(sha256.digest()), expected);
        });
    }

    /**
     * Runs {@code task} on the file's worker right behind {@link #finish}, in the same turn when it is queued before
     * the finish has run, and only if the finish succeeded: work on the complete file that needs no round trip
     * through the event loop in between.
     */
    <T> Future<T> afterFinish(java.util.concurrent.Callable<T> task) {
        return worker.submit(() -> {
            if (!finished) {
                throw new IllegalStateException("the temporary file was not completed");
            }
            return task.call();
        });
    }

    /** Closes the file after a failure, behind any write still queued; never fails. */
    Future<Void> abort() {
        return worker.submit(() -> {
            closeQuietly();
            return null;
        });
    }

    private FileChannel open() throws Failure {
        if (closed) {
            throw new Failure(Operation.WRITE, new IOException("the temporary file is closed"));
        }
        if (channel == null) {
            try {
                channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                failure = new Failure(Operation.CREATE, e);
                throw failure;
            }
        }
        return channel;
    }

    private void closeQuietly() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // The file is discarded next; a close that fails changes nothing.
            }
        }
    }
}
