package dev.vreg.host.registry;

import dev.vreg.host.upstream.Upstream;

import java.util.List;

/**
 * A virtual registry with its upstreams in priority order (position 1 first).
 */
public record Registry(long id, String group, String name, String format, boolean isPublic,
                       List<Upstream> upstreams) {

    public String displayName() {
        return group + "/" + name;
    }

    /** The upstreams whose module path hints admit {@code name}, in priority order. */
    public List<Upstream> upstreamsFor(String artifactName) {
        return upstreams.stream().filter(u -> NamePatterns.matches(u.moduleHints(), artifactName)).toList();
    }
}
