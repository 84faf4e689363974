package dev.vreg.upstream.artifactory;

import dev.vreg.spi.VregException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where one Artifactory repository lives: the Artifactory root ({@code https://acme.jfrog.io/artifactory}), the Go
 * API of the repository below it ({@code /api/go/<key>}) and the REST endpoints a connection test reads. The
 * configured URL may be the platform's address or Artifactory's own; {@code /artifactory} is added when it is not
 * there, as every Artifactory 7 serves its API under it.
 */
record ArtifactoryLocation(URI root, String repository) {

    /** Artifactory's repository keys: letters, digits, '.', '-' and '_', at most 64, not starting with a symbol. */
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * @throws VregException of kind INVALID for a URL that is not a plain http(s) address; the message never repeats
     *                       the URL, which may carry credentials
     */
    static ArtifactoryLocation of(URI url, String repository) {
        if (url == null || url.getScheme() == null || url.isOpaque() || url.getHost() == null) {
            throw VregException.invalid("the upstream URL must be an absolute http:// or https:// URL of Artifactory, "
                    + "such as https://acme.jfrog.io");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw VregException.invalid("the upstream URL must start with http:// or https://, not " + scheme + ":");
        }
        if (url.getRawUserInfo() != null) {
            throw VregException.invalid("the upstream URL must not contain credentials; set them as the upstream's "
                    + "credentials, which are stored encrypted");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw VregException.invalid("the upstream URL must not have a query (?...) or a fragment (#...)");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        if (path.contains("/api/go/") || path.endsWith("/api/go")) {
            throw VregException.invalid("the upstream URL is Artifactory's address, without /api/go/<repository>: "
                    + "name the repository in the setting 'repository'");
        }
        if (!path.endsWith("/artifactory")) {
            path = path + "/artifactory";
        }
        return new ArtifactoryLocation(URI.create(scheme + "://" + url.getRawAuthority() + path), repository);
    }

    /** The repository's Go API, the GOPROXY base URL: {@code <root>/api/go/<key>}. */
    URI goApi() {
        return URI.create(root + "/api/go/" + repository);
    }

    /** System Health Ping: {@code GET <root>/api/system/ping} answers 200 {@code OK} when Artifactory works. */
    URI ping() {
        return URI.create(root + "/api/system/ping");
    }

    /** Repository Configuration: {@code GET <root>/api/repositories/<key>}, partial for users who are not admins. */
    URI configuration() {
        return URI.create(root + "/api/repositories/" + repository);
    }

    /** {@code host[:port]/path} of the root, for messages. */
    String display() {
        return root.getRawAuthority() + root.getRawPath();
    }
}
