package dev.vreg.host.stats;

import java.time.Instant;

/** An upstream's last success and last failure, merged by keeping the later of each. */
record Health(Instant lastSuccess, Instant lastFailure, String failureKind, String failureMessage) {

    Health later(Health newer) {
        Instant success = latest(lastSuccess, newer.lastSuccess);
        boolean newerFailure = newer.lastFailure != null
                && (lastFailure == null || !newer.lastFailure.isBefore(lastFailure));
        return newerFailure
                ? new Health(success, newer.lastFailure, newer.failureKind, newer.failureMessage)
                : new Health(success, lastFailure, failureKind, failureMessage);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
