package dev.vreg.goproxy.client;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;

/**
 * A failure in which no HTTP answer arrived at all (refused, reset, TLS, DNS: {@link ErrorKind#UPSTREAM_UNAVAILABLE};
 * a connect or read timeout: {@link ErrorKind#UPSTREAM_TIMEOUT}), as opposed to an answer vreg could not use.
 * Connection tests report the first as "not reachable".
 */
final class UpstreamUnreachable extends VregException {

    UpstreamUnreachable(ErrorKind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }
}
