package dev.vreg.goproxy.client;

import dev.vreg.spi.ErrorKind;
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
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns HTTP statuses and transport exceptions into {@link VregException}s with short messages a person can act on.
 * Messages name the upstream's host and the artifact path and never include an exception's own message, URL user
 * info or any header, so they cannot leak credentials.
 */
final class Failures {

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final boolean withCredentials;

    /** @param withCredentials whether requests carry configured credentials, so a refusal can be about them */
    Failures(Duration connectTimeout, Duration readTimeout, boolean withCredentials) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.withCredentials = withCredentials;
    }

    /** The failure for a non-success status answered by {@code uri} for {@code path}. */
    VregException status(int status, URI uri, String path) {
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
        return new UpstreamUnreachable(reason(cause, UpstreamBaseUrl.display(uri)) + " (fetching " + path + ")",
                cause);
    }

    /** The failure when the body of {@code path} broke off. */
    VregException brokenBody(Throwable cause, URI uri, String path) {
        return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "the connection to upstream "
                + UpstreamBaseUrl.display(uri) + " broke while it was sending " + path, cause);
    }

    /** The failure when the body of {@code path} stopped arriving for longer than the read timeout. */
    VregException silentBody(URI uri, String path) {
        return new VregException(ErrorKind.UPSTREAM_UNAVAILABLE, "upstream " + UpstreamBaseUrl.display(uri)
                + " stopped sending " + path + " for " + seconds(readTimeout));
    }

    /** What went wrong with the connection to {@code host}, as the first half of a sentence. */
    private String reason(Throwable cause, String host) {
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

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
