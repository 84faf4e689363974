package dev.vreg.host.registry;

import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.FormatPlugin;
import java.util.List;

/**
 * A virtual registry with its upstreams in priority order (position 1 first).
 */
public record Registry(long id, String group, String name, String format, boolean isPublic,
                       List<Upstream> upstreams) {

    public String displayName() {
        return group + "/" + name;
    }

    /**
     * The upstreams whose module hints admit {@code ref}, in priority order. What a hint means belongs to the format
     * (Go: GOPRIVATE globs), so the format decides.
     */
    public List<Upstream> upstreamsFor(FormatPlugin format, ArtifactRef ref) {
        return upstreams.stream().filter(u -> format.matchesHints(u.moduleHints(), ref)).toList();
    }
}
