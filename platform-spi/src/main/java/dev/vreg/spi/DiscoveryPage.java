package dev.vreg.spi;

import java.util.Objects;

/**
 * The answer to a discovery request of a package manager for a name under one of a registry's vanity prefixes
 * (Go: the {@code ?go-get=1} page carrying a {@code go-import} meta tag).
 *
 * @param contentType the Content-Type to serve {@code body} with
 * @param body        the whole page
 */
public record DiscoveryPage(String contentType, String body) {

    public DiscoveryPage {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }
}
