package dev.vreg.host.storage;

import io.vertx.core.Future;
import java.nio.file.Path;

/**
 * Immutable bytes addressed by their sha256 digest. Incoming bodies are written to a local temporary file first and
 * committed only once complete and validated, so a failed or partial download never becomes visible.
 */
public interface BlobStore {

    /** A fresh local temporary file for an incoming body. */
    Future<Path> createTemp();

    /**
     * Moves a complete temporary file into the store under {@code digest} (lower-case hex sha256). Committing a
     * digest that is already stored succeeds and drops the temporary file.
     */
    Future<Void> commit(Path temp, String digest);

    /** Deletes a temporary file; succeeds if it is already gone. */
    Future<Void> discard(Path temp);

    /** Opens a stored blob for reading; fails with {@link MissingBlobException} if it is missing. */
    Future<BlobSource> open(String digest, long size);

    /** Deletes a stored blob; succeeds if it is already gone. */
    Future<Void> delete(String digest);
}
