package dev.vreg.spi;

/** Decides how the host caches a path. */
public enum AssetKind {
    /**
     * Immutable once published (Go: {@code .info}, {@code .mod}, {@code .zip} of a canonical version).
     * Cached for the upstream's content validity, by default forever, and validated before it is committed.
     */
    CONTENT,
    /**
     * Changes over time (Go: {@code @v/list}, {@code @latest}, {@code .info} of a branch or query).
     * Fetched from every eligible upstream, cached for the upstream's metadata validity and merged by the format.
     */
    METADATA
}
