package dev.vreg.spi;

import java.util.Objects;

/**
 * A request for a format's checksum database, passed through a registry (Go: {@code sumdb/<name>/...}).
 *
 * @param database  the database's name (Go: {@code sum.golang.org})
 * @param kind      what is asked
 * @param path      the path below the database, as it is forwarded (Go: {@code lookup/<module>@<version>},
 *                  {@code tile/8/0/000.p/5}, {@code latest}); empty for {@link Kind#SUPPORTED}
 * @param name      the package the request is about ({@link Kind#LOOKUP} only, decoded), else {@code null}
 * @param immutable whether the answer never changes once served (Go: a full tile), so it may be cached for good
 */
public record ChecksumDbRequest(String database, Kind kind, String path, String name, boolean immutable) {

    /** What a checksum database request asks. */
    public enum Kind {
        /** Whether the registry proxies the database at all; answered by the host, never forwarded. */
        SUPPORTED,
        /** The record of one package version, with a signed tree. */
        LOOKUP,
        /** Hashes (or record data) of a part of the log. */
        TILE,
        /** The newest signed tree. */
        LATEST
    }

    public ChecksumDbRequest {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
    }
}
