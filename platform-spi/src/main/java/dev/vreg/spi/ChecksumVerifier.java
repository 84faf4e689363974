package dev.vreg.spi;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Checks CONTENT against a format's checksum database before the host caches it (Go: the h1 of a {@code .zip} or
 * {@code .mod} against a signed, append-only log of go.sum lines).
 */
public interface ChecksumVerifier {

    /** Whether {@code ref} is a file the database records (Go: {@code .mod} and {@code .zip}). */
    boolean covers(ArtifactRef ref);

    /** Why {@code verifierKey} is no key of this format, in a sentence, or empty when it is one. */
    Optional<String> keyProblem(String verifierKey);

    /** The database name a key belongs to; only called for keys without a {@link #keyProblem}. */
    String databaseOf(String verifierKey);

    /**
     * Looks the file up and proves the answer. Runs on an event loop; must not block.
     *
     * @param check what the format's own check found of the file (Go: its h1)
     * @return the verdict; fails only when the database could not be read (its failure as
     *         {@link ChecksumSource#read} gave it)
     */
    Future<ChecksumVerdict> verify(ArtifactRef ref, ContentCheck check, ChecksumSource source);
}
