package dev.vreg.host.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;

/**
 * What the file system store really holds for a digest, read from disk: whether the file is there, its size, and
 * what its bytes hash to. Blocking (the whole file is read); for {@code vreg verify-store}, which runs beside a node
 * or without one, and never opens the store itself (opening removes temporary files a running node is writing).
 *
 * @param size     the size on disk; -1 when absent
 * @param sha256   what the bytes hash to; null when absent or unreadable
 * @param unreadable why the file could not be read, or null
 */
public record StoredBlob(String digest, long size, String sha256, String unreadable) {

    /** Reads the blob {@code digest} of the store rooted at {@code root}. */
    public static StoredBlob inspect(Path root, String digest) {
        Path file = FileSystemBlobStore.pathOf(root, digest);
        try {
            long size = Files.size(file);
            return new StoredBlob(digest, size, FileSystemBlobStore.sha256Hex(file), null);
        } catch (NoSuchFileException e) {
            return new StoredBlob(digest, -1, null, null);
        } catch (IOException e) {
            return new StoredBlob(digest, -1, null, StorageFailures.reason(e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean present() {
        return size >= 0 || unreadable != null;
    }

    /** The file is there and its bytes are those its name promises. */
    public boolean intact() {
        return digest.equals(sha256);
    }

    /** What is wrong for a cache entry that records {@code recordedSize} bytes in this blob; null when nothing is. */
    public String problem(long recordedSize) {
        if (unreadable != null) {
            return "blob " + digest + " cannot be read: " + unreadable;
        }
        if (!present()) {
            return "blob " + digest + " is missing";
        }
        if (!intact()) {
            return "blob " + digest + " is damaged: " + size + " bytes on disk (" + recordedSize + " recorded) that "
                    + "hash to " + sha256;
        }
        if (size != recordedSize) {
            return "the entry records " + recordedSize + " bytes, but blob " + digest + " is intact with " + size;
        }
        return null;
    }

    /** Deletes the file, if it is (still) there and not intact; a blob another fetch has put right meanwhile stays. */
    public static void deleteIfDamaged(Path root, String digest) {
        StoredBlob now = inspect(root, digest);
        if (now.present() && !now.intact()) {
            try {
                Files.deleteIfExists(FileSystemBlobStore.pathOf(root, digest));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete blob " + digest, e);
            }
        }
    }
}
