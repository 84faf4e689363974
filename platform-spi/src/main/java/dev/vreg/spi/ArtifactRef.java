package dev.vreg.spi;

import java.util.Objects;

/**
 * What a format plugin says a request path is.
 *
 * @param path    the canonical path relative to a registry's base, as it is sent to upstreams and used as the cache
 *                key (Go: {@code github.com/!burnt!sushi/toml/@v/v1.3.2.zip}, bang-escaped, not percent-encoded)
 * @param kind    how the host caches it
 * @param name    the package or module name, decoded (Go: {@code github.com/BurntSushi/toml})
 * @param version the version the path names, or {@code null} when it names none (Go: {@code @v/list})
 * @param file    the format's name for the kind of file (Go: {@code list}, {@code latest}, {@code info}, {@code mod},
 *                {@code zip})
 */
public record ArtifactRef(String path, AssetKind kind, String name, String version, String file) {

    public ArtifactRef {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
    }
}
