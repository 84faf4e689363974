package dev.vreg.goproxy.client;

import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.TransferLimits;
import dev.vreg.spi.VregException;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns HTTP statuses and transport exceptions into {@link VregException}s with short messages a person can act on.
 * Messages name the upstream's host and the artifact path and never include an exception's own message, URL user
 * info or any header, so they cannot leak credentials. The one exception is the host's
 * {@link AddressNotAllowedException}, written by the host to be shown and naming only a host and an address.
 */
final class Failures {

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final TransferLimits transfer;
    private final boolean withCredentials;
    private final Clock clock;

    /**
     * @param transfer        the limits the messages quote, and the body enforces
     * @param withCredentials whether requests carry configured credentials, so a refusal can be about them
     * @param clock           what an HTTP date in {@code Retry-After} is counted from
     */
    Failures(Duration connectTimeout, Duration readTimeout, TransferLimits transfer, boolean withCredentials,
             Clock clock) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.transfer = transfer;
        this.withCredentials = withCredentials;
        this.clock = clock;
    }

    /** The limits the messages quote, and the body enforces. */
    TransferLimits transfer() {
        return transfer;
    }

    /**
     * The failure for a non-success status answered by {@code uri} for {@code path}. A 503 or 429 carries the delay
     * its {@code Retry-After} asked for, if any.
     *
     * @param retryAfter the answer's {@code Retry-After} header, or null
     */
    VregException status(int status, URI uri, String path, String retryAfter) {
        VregException failure = status(status, uri, path);
        Duration delay = status == 503 || status == 429 ? RetryAfter.parse(retryAfter, clock) : null;
        return delay == null ? failure : failure.withRetryAfter(delay);
    }

    private VregException status(int status, URI uri, String path) {
        String answered = "upstream " + UpstreamBaseUrl.display(uri) + " answered " + status + " for " + path;
        return switch (status) {
            case 404 -> new VregException(ErrorKind.NOT_FOUND, answered);
            case 410 -> new VregException(ErrorKind.GONE, answered);
            case 401 -> new VregException(ErrorKind.UNAUTHORIZED, answered + (withCredentials
                    ? "; it refused the configured credentials" : "; it needs credentials, and none are configured"));
            case 403 -> new VregException(ErrorKind.FORBIDDEN, answered + (withCredentials
                    ? "; it refused access, the configured credentials may not read it"
                    : "; it refused access (no credentials are configured)"));
            case 429 -> new VregException(ErrorKind.UPSTREAM_UNAVAILABLE,
                    answered + "; it is limiting the request rate, try again later");
            default -> new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, status >= 500
                    ? answered + "; the upstream is failing, try again later"
                    : answered + ", which is not a GOPROXY answer");
        };
    }

    /** The failure when no answer for {@code path} arrived from {@code uri}. */
    UpstreamUnreachable transport(Throwable cause, URI uri, String path) {
        return new UpstreamUnreachable(timedOut(cause) ? ErrorKind.UPSTREAM_TIMEOUT : ErrorKind.UPSTREAM_UNAVAILABLE,
                reason(cause, UpstreamBaseUrl.display(uri)) + " (fetching " + path + ")", cause);
    }

    /** The failure when the body of {@code path} broke off. */
    VregException brokenBody(Throwable cause, URI uri, String path) {
        return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "the connection to upstream "
                + UpstreamBaseUrl.display(uri) + " broke while it was sending " + path, cause);
    }

    /** The failure when the body of {@code path} stopped arriving for longer than the read timeout. */
    VregException silentBody(URI uri, String path) {
        return new VregException(ErrorKind.UPSTREAM_TIMEOUT, "upstream " + UpstreamBaseUrl.display(uri)
                + " stopped sending " + path + " for " + seconds(readTimeout));
    }

    /** The failure when the body of {@code path} arrived slower than the minimum rate. */
    VregException tooSlowBody(URI uri, String path, long bytes) {
        return new VregException(ErrorKind.UPSTREAM_TIMEOUT, "upstream " + UpstreamBaseUrl.display(uri)
                + " sent only " + bytes + " bytes of " + path + " in " + seconds(transfer.window())
                + ", below the minimum transfer rate of " + rate(transfer.minBytesPerSecond()));
    }

    /**
     * The failure when the fetch of {@code path} was not over by its deadline.
     *
     * @param answered whether the body had started, or the upstream had not even answered yet
     */
    VregException pastDeadline(URI uri, String path, boolean answered) {
        return new VregException(ErrorKind.UPSTREAM_TIMEOUT, "upstream " + UpstreamBaseUrl.display(uri)
                + (answered ? " was still sending " : " had not answered ") + path + " when the transfer deadline of "
                + seconds(transfer.deadline()) + " passed");
    }

    /** Whether no answer came because a timeout ran out, rather than because the connection failed. */
    private static boolean timedOut(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return false;
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong with the connection to {@code host}, as the first half of a sentence. */
    private String reason(Throwable cause, String host) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof AddressNotAllowedException) {
                return t.getMessage();
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return tlsReason(cause, host);
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            // Netty's ConnectTimeoutException is a ConnectException, so it has to be checked first.
            if (t instanceof ConnectTimeoutException) {
                return "could not connect to upstream " + host + " within " + seconds(connectTimeout);
            }
            if (t instanceof ConnectException) {
                return "upstream " + host + " refused the connection; check the URL's host and port "
                        + "and that the upstream is running";
            }
            if (t instanceof UnknownHostException) {
                return "the host name of upstream " + host + " could not be resolved";
            }
            if (t instanceof NoRouteToHostException) {
                return "there is no network route to upstream " + host;
            }
            if (t instanceof TimeoutException) {
                return "upstream " + host + " sent no answer within " + seconds(readTimeout);
            }
            if (t.getClass().getSimpleName().equals("NotSslRecordException")) {
                return "upstream " + host + " did not answer in TLS; check whether its URL should be http://";
            }
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException
                    || t instanceof StreamResetException) {
                return "upstream " + host + " closed the connection before it answered";
            }
        }
        return "the connection to upstream " + host + " failed (" + cause.getClass().getSimpleName() + ")";
    }

    private static String tlsReason(Throwable cause, String host) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("NotSslRecordException")) {
                return "upstream " + host + " did not answer in TLS; check whether its URL should be http://";
            }
            if (t instanceof CertificateExpiredException) {
                return "the TLS certificate of upstream " + host + " has expired";
            }
            if (t instanceof CertPathValidatorException
                    || t.getClass().getName().equals("sun.security.provider.certpath.SunCertPathBuilderException")
                    || t.getClass().getName().equals("sun.security.validator.ValidatorException")) {
                return "the TLS certificate of upstream " + host + " is not trusted; "
                        + "add its certificate authority to vreg's trusted certificates";
            }
            if (t instanceof CertificateException) {
                return "the TLS certificate of upstream " + host + " was rejected; "
                        + "check that it is valid and names that host";
            }
        }
        return "the TLS handshake with upstream " + host + " failed";
    }

    /** A duration the way the configuration writes it: {@code 250ms}, {@code 60s}, {@code 30m}. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        if (millis > 60_000 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** A rate in bytes a second, in KiB or MiB when it is a whole number of them. */
    static String rate(long bytesPerSecond) {
        if (bytesPerSecond >= 1 << 20 && bytesPerSecond % (1 << 20) == 0) {
            return (bytesPerSecond >> 20) + " MiB/s";
        }
        if (bytesPerSecond >= 1 << 10 && bytesPerSecond % (1 << 10) == 0) {
            return (bytesPerSecond >> 10) + " KiB/s";
        }
        return bytesPerSecond + " bytes/s";
    }
}
