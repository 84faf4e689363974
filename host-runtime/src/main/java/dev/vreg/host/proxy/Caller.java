package dev.vreg.host.proxy;

/**
 * Who a pull is for, as far as resolving cares: the client's address, and whether it proved an identity.
 * Anonymous callers of public registries are the ones whose misses are bounded.
 */
public record Caller(String address, boolean anonymous) {

    /** A caller that is never bounded: tests, internal warm-ups. */
    public static final Caller TRUSTED = new Caller("-", false);
}
