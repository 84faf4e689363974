package dev.vreg.spi.storage;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;

/**
 * A blob the store does not have, though a cache entry names it: removed by hand, lost with a disk, or written by a
 * node that does not share this node's store. Of kind {@link ErrorKind#NOT_FOUND}; the host's request path fetches
 * the file again from the upstream instead of answering not found.
 */
public final class MissingBlobException extends VregException {

    private final String digest;

    public MissingBlobException(String digest) {
        super(ErrorKind.NOT_FOUND, "blob " + digest + " is missing from the store");
        this.digest = digest;
    }

    /** The digest of the missing blob. */
    public String digest() {
        return digest;
    }
}
