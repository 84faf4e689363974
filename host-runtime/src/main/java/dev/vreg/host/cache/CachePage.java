package dev.vreg.host.cache;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * One page of what vreg holds from an upstream.
 *
 * @param total how many entries match, on all pages
 */
public record CachePage(long total, List<Item> items) {

    /**
     * One cache entry as it is listed.
     *
     * @param version          {@code null} for an artifact's version-independent files
     * @param blobDigest       the stored bytes of CONTENT; {@code null} otherwise
     * @param lastDownloadedAt {@code null} when it was never served from the cache
     * @param bytesServed      bytes of its bodies sent to clients, over all its pulls
     */
    public record Item(long id, long upstreamId, String path, String kind, String name, String version, long size,
                       String blobDigest, JsonObject attributes, Instant createdAt, Instant checkedAt,
                       long downloads, Instant lastDownloadedAt, long bytesServed) {
    }
}
