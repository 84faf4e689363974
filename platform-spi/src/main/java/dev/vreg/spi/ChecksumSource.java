package dev.vreg.spi;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One checksum database as the host reaches it for a {@link ChecksumVerifier}: its key, its answers (through the
 * host's cache and the registry's route to the database) and the tree the host last verified from it.
 */
public interface ChecksumSource {

    /** The database's verifier key (Go: {@code <name>+<hash>+<key>}). */
    String verifierKey();

    /**
     * An answer of the database.
     *
     * @param path below the database, as {@link ChecksumDbRequest#path()} spells it
     * @return the body; fails NOT_FOUND when the database has no such path, UPSTREAM_UNAVAILABLE when it cannot be
     *         reached
     */
    Future<Buffer> read(String path);

    /** The signed text of the largest tree verified from this database so far, or {@code null}. */
    Future<String> verifiedTree();

    /** Remembers a tree the verifier proved to extend (or to be) the one {@link #verifiedTree()} gave. */
    Future<Void> verified(String treeText);
}
