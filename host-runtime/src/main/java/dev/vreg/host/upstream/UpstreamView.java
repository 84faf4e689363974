package dev.vreg.host.upstream;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * An upstream as its group sees it: everything but its credentials, of which only their presence is told.
 *
 * @param settings                the kind's own settings; never null
 * @param metadataValiditySeconds {@code null}: the instance's default
 * @param contentValiditySeconds  {@code null}: cached content stays valid forever
 * @param transferDeadlineSeconds its own transfer deadline; {@code null}: the instance's
 * @param minTransferRate         its own minimum transfer rate in bytes per second; {@code null}: the instance's
 * @param status                  the last connection test's report as the API shows it; {@code null} before the first
 * @param usedBy                  the registries that link it, by name
 * @param allowPrivateNetwork     whether an instance admin lifted the address rule for it
 */
public record UpstreamView(long id, String name, String kind, String url, JsonObject settings,
                           List<String> moduleHints, Long metadataValiditySeconds, Long contentValiditySeconds,
                           Long transferDeadlineSeconds, Long minTransferRate, boolean credentialsSet,
                           JsonObject status, List<Use> usedBy, Instant createdAt, Instant updatedAt,
                           boolean allowPrivateNetwork) {

    /** A registry that links the upstream, and the position it gives it there. */
    public record Use(String registry, int position) {
    }
}
