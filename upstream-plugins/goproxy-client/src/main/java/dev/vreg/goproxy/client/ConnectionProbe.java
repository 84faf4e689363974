package dev.vreg.goproxy.client;

import dev.vreg.spi.ConnectionReport;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * The connection test of a goproxy upstream: one GET of the probe path, judged the way the go command judges an
 * answer. 200, 404 and 410 all prove a working GOPROXY server that accepted the credentials, because an unknown
 * module is a normal answer; 401 and 403 mean the credentials are missing or refused. The report is always a
 * success: every problem becomes a sentence in it.
 */
final class ConnectionProbe {

    private final RedirectingGet get;
    private final UpstreamBaseUrl base;
    private final String probePath;
    private final boolean hasCredentials;
    private final Clock clock;
    private final Vertx vertx;
    private final long readTimeoutMillis;
    private final Duration deadline;

    ConnectionProbe(RedirectingGet get, UpstreamBaseUrl base, String probePath, boolean hasCredentials, Clock clock,
                    Vertx vertx, long readTimeoutMillis, Duration deadline) {
        this.deadline = deadline;
        this.get = get;
        this.base = base;
        this.probePath = probePath;
        this.hasCredentials = hasCredentials;
        this.clock = clock;
        this.vertx = vertx;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    Future<ConnectionReport> run() {
        long started = clock.millis();
        try {
            URI target = base.resolve(GoPathEscaper.escapePath(probePath));
            return get.get(target, null, probePath, System.nanoTime() + deadline.toNanos())
                    .compose(answer -> {
                        long latency = Math.max(0, clock.millis() - started);
                        int status = answer.response().statusCode();
                        return ResponseDrain.discard(answer.response(), vertx, readTimeoutMillis)
                                .map(released -> forStatus(status, answer.uri(), latency));
                    })
                    .recover(failure -> Future.succeededFuture(forFailure(failure)));
        } catch (RuntimeException e) {
            return Future.succeededFuture(forFailure(e));
        }
    }

    private ConnectionReport forStatus(int status, URI answered, long latency) {
        boolean tls = "https".equalsIgnoreCase(answered.getScheme());
        String reached = "Reached upstream " + UpstreamBaseUrl.display(answered) + (tls ? " over TLS" : "")
                + " in " + latency + " ms";
        if (status == 200 || status == 404 || status == 410) {
            return new ConnectionReport(true, tls, true, latency, reached + "; it answered " + status + " for "
                    + probePath + (hasCredentials ? " with the configured credentials." : "."));
        }
        if (status == 401 || status == 403) {
            String problem = hasCredentials
                    ? "the upstream refused the configured credentials (" + status + "); check the user name and "
                            + "password or the token, and that they may read " + probePath + "."
                    : "the upstream requires credentials (" + status + "); configure a user name and password "
                            + "or a token.";
            return new ConnectionReport(true, tls, false, latency, reached + ", but " + problem);
        }
        String problem = status >= 500
                ? "; the upstream is failing, try again later."
                : ", which is not a GOPROXY answer; check the URL's path.";
        return new ConnectionReport(true, tls, false, latency,
                reached + ", but it answered " + status + " for " + probePath + problem);
    }

    ConnectionReport forFailure(Throwable failure) {
        if (failure instanceof UpstreamUnreachable) {
            return new ConnectionReport(false, false, false, -1, sentence(failure.getMessage()));
        }
        // Any other failure came after the upstream answered (a redirect vreg will not follow).
        String message = failure instanceof VregException
                ? failure.getMessage()
                : "the connection test of upstream " + base.display() + " failed ("
                        + failure.getClass().getSimpleName() + ")";
        return new ConnectionReport(true, base.secure(), false, -1, sentence(message));
    }

    private static String sentence(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + (text.endsWith(".") ? "" : ".");
    }
}
