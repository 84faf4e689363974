package dev.vreg.host.upstream;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An upstream as the request path needs it.
 *
 * @param contentValidity  how long cached CONTENT stays valid; {@code null} means forever
 * @param metadataValidity how long cached METADATA is served before the upstream is asked again
 * @param moduleHints      module hints, read by the format ({@code FormatPlugin.matchesHints}; Go: GOPRIVATE
 *                         globs); when non-empty only the names they admit are asked for
 * @param transferDeadlineSeconds its own transfer deadline; {@code null}: the instance's
 * @param minTransferRate  its own minimum transfer rate in bytes per second; {@code null}: the instance's
 * @param updatedAt        changes whenever the configuration does, so open clients can be replaced
 * @param allowPrivateNetwork whether an instance admin lifted the address rule for it
 */
public record Upstream(long id, long groupId, String name, String kind, String url, byte[] credentials,
                       JsonObject settings, Duration contentValidity, Duration metadataValidity,
                       List<String> moduleHints, Long transferDeadlineSeconds, Long minTransferRate,
                       Instant updatedAt, boolean allowPrivateNetwork) {

    /** What opening a client for this upstream needs. */
    public StoredUpstream stored() {
        return new StoredUpstream(id, name, kind, url, credentials, settings, transferDeadlineSeconds,
                minTransferRate, allowPrivateNetwork);
    }
}
