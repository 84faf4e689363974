package dev.vreg.host.proxy;

import dev.vreg.host.db.DatabaseFailure;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import java.util.List;

/**
 * Turns what every upstream said into one answer: found nowhere is NOT_FOUND (so a go client falls through to the
 * next GOPROXY entry), but if any upstream was broken the answer is a 502-class failure, because that upstream might
 * have had the artifact and a silent fall-through would hide it (a 504 when it was too slow). An upstream that
 * refused vreg access makes the answer a 403 for the same reason. A database that could not be reached while an
 * upstream was asked is no upstream's failure: it is answered as it is (a 503), whatever the upstreams said.
 */
final class Failures {

    private Failures() {
    }

    static Throwable combine(ArtifactRef ref, List<Throwable> failures) {
        for (Throwable failure : failures) {
            if (DatabaseFailure.isUnavailable(failure)) {
                return failure;
            }
        }
        VregException broken = null;
        for (Throwable failure : failures) {
            if (NegativeCache.isNotFound(failure)) {
                continue;
            }
            if (failure instanceof VregException e) {
                if (broken == null) {
                    broken = e;
                }
            } else if (broken == null) {
                broken = new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, failure.toString(), failure);
            }
        }
        if (broken != null) {
            ErrorKind kind = switch (broken.kind()) {
                case UPSTREAM_INVALID -> ErrorKind.UPSTREAM_INVALID;
                // The upstream refused vreg's own credentials; the client's cannot help, so it is not asked for
                // any (a 401 would make the go command retry with GOAUTH), and a 403 stops its GOPROXY list.
                case FORBIDDEN, UNAUTHORIZED -> ErrorKind.FORBIDDEN;
                case TOO_MANY_REQUESTS -> ErrorKind.TOO_MANY_REQUESTS;
                case UPSTREAM_TIMEOUT -> ErrorKind.UPSTREAM_TIMEOUT;
                default -> ErrorKind.UPSTREAM_UNAVAILABLE;
            };
            // The broken upstream's hint of when to try again stays with the answer it caused.
            return new VregException(kind, ref.path() + ": not found in any reachable upstream; "
                    + broken.getMessage(), broken).withRetryAfter(broken.retryAfter());
        }
        return VregException.notFound(ref.name() + (ref.version() == null ? "" : "@" + ref.version())
                + ": not found in any upstream");
    }
}
