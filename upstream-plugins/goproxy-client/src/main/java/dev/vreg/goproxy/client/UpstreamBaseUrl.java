package dev.vreg.goproxy.client;

import dev.vreg.spi.VregException;
import java.net.URI;
import java.util.Locale;

/**
 * The validated base URL of a GOPROXY upstream, and how request URLs are built from it. Validation messages never
 * repeat the URL itself, since a rejected URL may carry credentials.
 */
final class UpstreamBaseUrl {

    private final URI url;
    private final String basePath;

    private UpstreamBaseUrl(URI url, String basePath) {
        this.url = url;
        this.basePath = basePath;
    }

    /**
     * Checks that {@code url} is an absolute http or https URL with a host and nothing but a path after it.
     *
     * @throws VregException of kind INVALID naming what is wrong
     */
    static UpstreamBaseUrl parse(URI url) {
        if (url == null || url.getScheme() == null || url.isOpaque()) {
            throw VregException.invalid("the upstream URL must be an absolute http:// or https:// URL");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw VregException.invalid("the upstream URL must start with http:// or https://, not " + scheme + ":");
        }
        if (url.getRawUserInfo() != null) {
            throw VregException.invalid("the upstream URL must not contain credentials; "
                    + "set them as the upstream's credentials, which are stored encrypted");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw VregException.invalid("the upstream URL has no host name");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw VregException.invalid("the upstream URL must not have a query (?...) or a fragment (#...); "
                    + "GOPROXY requests are plain paths under the base URL");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        // The go command trims a trailing slash from the base path (modfetch/proxy.go); so do we.
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        URI normalised = URI.create(scheme + "://" + url.getRawAuthority() + path);
        return new UpstreamBaseUrl(normalised, path);
    }

    /** The URL of {@code escapedPath}, a relative path already percent-encoded by {@link GoPathEscaper}. */
    URI resolve(String escapedPath) {
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + basePath + "/" + escapedPath);
    }

    /** Whether {@code other} has this URL's scheme, host and port, so it may receive the upstream's credentials. */
    boolean sameOrigin(URI other) {
        return url.getScheme().equalsIgnoreCase(other.getScheme())
                && url.getHost().equalsIgnoreCase(other.getHost())
                && effectivePort(url) == effectivePort(other);
    }

    /** {@code host} or {@code host:port} of this URL, for messages. */
    String display() {
        return display(url);
    }

    /** True for https. */
    boolean secure() {
        return url.getScheme().equals("https");
    }

    /** {@code host} or {@code host:port} of {@code uri}, for messages; never its user info. */
    static String display(URI uri) {
        return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The port a connection to {@code uri} uses. */
    static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
