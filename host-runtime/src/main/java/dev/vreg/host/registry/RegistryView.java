package dev.vreg.host.registry;

import java.time.Instant;

/**
 * A registry as its group sees it.
 *
 * @param upstreamsCount how many upstreams it links
 */
public record RegistryView(long id, String name, String format, boolean isPublic, String description,
                           int upstreamsCount, Instant createdAt, Instant updatedAt) {
}
