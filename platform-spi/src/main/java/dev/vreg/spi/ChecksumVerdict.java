package dev.vreg.spi;

import java.util.Objects;

/**
 * What a checksum database says of a file's hash.
 *
 * @param status   the finding
 * @param expected the hash the database records, or {@code null} when it records none
 * @param actual   the hash of the file received
 * @param detail   a sentence for logs and refusals
 */
public record ChecksumVerdict(Status status, String expected, String actual, String detail) {

    public enum Status {
        /** The database records exactly this hash, proven by a signed tree. */
        VERIFIED,
        /** The database records another hash: the file is not the one everybody else gets. */
        MISMATCH,
        /** The database has no record of the version. */
        NOT_FOUND,
        /** The database's new tree does not extend a tree verified before: its log was forked. */
        FORKED,
        /** The database's answer failed a check of its format (signature, proof, record). */
        INVALID
    }

    public ChecksumVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean verified() {
        return status == Status.VERIFIED;
    }
}
