package dev.vreg.host.proxy;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;

/**
 * A file refused because the checksum database does not confirm it: a 403 whose text the go command prints, and an
 * end to the walk over the upstreams, because a file that differs from what everybody else gets is a security
 * finding to show, not a miss to hide behind another upstream's copy.
 */
public final class ChecksumRefusal extends VregException {

    public ChecksumRefusal(String message) {
        super(ErrorKind.FORBIDDEN, message);
    }
}
