package dev.vreg.host.cache;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * One file an upstream served (or said it did not have), as cached.
 *
 * @param kind       {@code CONTENT} (bytes in the blob store), {@code METADATA} (bytes inline) or {@code NOT_FOUND}
 * @param body       the inline METADATA body, else {@code null}
 * @param attributes facts the format derived (Go: {@code h1})
 */
public record CacheEntry(long id, long upstreamId, String path, String kind, String blobDigest, Buffer body,
                         long size, String contentType, String upstreamEtag, JsonObject attributes,
                         Instant createdAt, Instant checkedAt) {

    public static final String CONTENT = "CONTENT";
    public static final String METADATA = "METADATA";
    public static final String NOT_FOUND = "NOT_FOUND";

    public boolean isContent() {
        return CONTENT.equals(kind);
    }

    public boolean isMetadata() {
        return METADATA.equals(kind);
    }

    public boolean isNotFound() {
        return NOT_FOUND.equals(kind);
    }

    /** True while {@code validity} (null: forever) has not passed since the entry was last confirmed. */
    public boolean freshAt(Instant now, Duration validity) {
        return validity == null || checkedAt.plus(validity).isAfter(now);
    }

    /** The strong ETag vreg serves the entry with. */
    public String etag() {
        return isContent() ? "\"" + blobDigest + "\"" : null;
    }
}
