package dev.vreg.host.storage;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;

/**
 * A cache entry names a blob the store does not have: removed by hand, lost with a disk, or written by a node that
 * does not share this node's store. The request path fetches the file again instead of answering not found.
 */
public final class MissingBlobException extends VregException {

    private final String digest;

    public MissingBlobException(String digest) {
        super(ErrorKind.NOT_FOUND, "blob " + digest + " is missing from the store");
        this.digest = digest;
    }

    public String digest() {
        return digest;
    }
}
