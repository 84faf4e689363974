package dev.vreg.goproxy.client;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;

/**
 * An {@link ErrorKind#UPSTREAM_UNAVAILABLE} failure in which no HTTP answer arrived at all (refused, reset, TLS,
 * DNS, timeout), as opposed to an answer vreg could not use. Connection tests report the first as "not reachable".
 */
final class UpstreamUnreachable extends VregException {

    UpstreamUnreachable(String message, Throwable cause) {
        super(ErrorKind.UPSTREAM_UNAVAILABLE, message, cause);
    }
}
