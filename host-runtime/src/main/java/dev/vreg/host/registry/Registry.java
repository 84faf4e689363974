package dev.vreg.host.registry;

import dev.vreg.host.upstream.Upstream;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.FormatPlugin;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual registry with its upstreams in priority order (position 1 first).
 */
public record Registry(long id, String group, String name, String format, boolean isPublic,
                       List<Upstream> upstreams) {

    public Registry {
        upstreams = List.copyOf(upstreams);
    }

    public String displayName() {
        return group + "/" + name;
    }

    /**
     * The upstreams whose module hints admit {@code ref}, in priority order. What a hint means belongs to the format
     * (Go: GOPRIVATE globs), so the format decides. Asked on every pull: when all of them admit it, the same
     * list is returned, with nothing allocated.
     */
    public List<Upstream> upstreamsFor(FormatPlugin format, ArtifactRef ref) {
        int count = upstreams.size();
        for (int i = 0; i < count; i++) {
            if (!format.matchesHints(upstreams.get(i).moduleHints(), ref)) {
                List<Upstream> admitted = new ArrayList<>(count - 1);
                admitted.addAll(upstreams.subList(0, i));
                for (int j = i + 1; j < count; j++) {
                    Upstream upstream = upstreams.get(j);
                    if (format.matchesHints(upstream.moduleHints(), ref)) {
                        admitted.add(upstream);
                    }
                }
                return List.copyOf(admitted);
            }
        }
        return upstreams;
    }
}
