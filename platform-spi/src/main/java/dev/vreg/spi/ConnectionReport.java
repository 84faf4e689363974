package dev.vreg.spi;

/**
 * What a connection test found, written for a person who has to act on it.
 *
 * @param reachable     a connection was made and the server answered
 * @param tls           TLS was used and the certificate was accepted; false for plain http or a TLS failure
 * @param authenticated the upstream accepted the configured credentials, or needs none
 * @param latencyMillis the round trip of the test request, or -1 when none completed
 * @param message       one or two sentences: what was checked and, on failure, what to fix
 */
public record ConnectionReport(boolean reachable, boolean tls, boolean authenticated, long latencyMillis,
                               String message) {

    public boolean ok() {
        return reachable && authenticated;
    }
}
