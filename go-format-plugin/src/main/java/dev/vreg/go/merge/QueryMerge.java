package dev.vreg.go.merge;

import java.util.List;
import java.util.Optional;

/**
 * Chooses the answer to a branch or commit query ({@code @v/master.info}). Different upstreams may resolve the
 * same name to different commits and there is no order between their answers, so the registry's priority order
 * decides: the first upstream with a usable answer wins, and its body is served unchanged.
 */
public final class QueryMerge {

    private QueryMerge() {
    }

    /** The index of the first body that names a version the go command can use, or empty when none does. */
    public static Optional<Integer> choose(String modulePath, List<byte[]> bodies) {
        for (int i = 0; i < bodies.size(); i++) {
            if (LatestMerge.usableVersion(modulePath, bodies.get(i)) != null) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
