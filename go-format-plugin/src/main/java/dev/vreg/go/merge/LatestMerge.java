package dev.vreg.go.merge;

import dev.vreg.go.info.InfoJson;
import dev.vreg.go.module.Module;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import java.util.List;
import java.util.Optional;

/**
 * Chooses one {@code @latest} answer among several upstreams' and serves it unchanged.
 *
 * <p>The ranking is the go command's own ({@code go help goproxy}): the highest release, else the highest
 * prerelease, else the newest pseudo-version. Pseudo-versions compare by semantic version, which orders them by
 * commit time when they share a base. The chosen body is passed through byte for byte, because {@code Origin} and
 * fields this registry does not know are the upstream's to define and the go command may rely on them.
 */
public final class LatestMerge {

    private LatestMerge() {
    }

    /**
     * The index of the body to serve, or empty when none is usable. A body is skipped when it is not an info object
     * the go command could read, or names a version that is not canonical or not of this module: serving it would
     * fail the client, while another upstream's answer might not. Ties go to the earlier body (higher priority).
     */
    public static Optional<Integer> choose(String modulePath, List<byte[]> bodies) {
        int best = -1;
        String bestVersion = null;
        for (int i = 0; i < bodies.size(); i++) {
            String v = usableVersion(modulePath, bodies.get(i));
            if (v != null && (bestVersion == null || compare(v, bestVersion) > 0)) {
                best = i;
                bestVersion = v;
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /**
     * The version an info body names if the go command can use it for {@code modulePath}, else null. Shared with
     * the resolution of branch and commit queries, which follow the same rule.
     */
    public static String usableVersion(String modulePath, byte[] body) {
        String v;
        try {
            v = InfoJson.parse(body).version();
        } catch (InfoJson.InvalidInfoException e) {
            return null;
        }
        return v != null && Module.isServable(modulePath, v) ? v : null;
    }

    private static int compare(String a, String b) {
        int byRank = Integer.compare(rank(a), rank(b));
        return byRank != 0 ? byRank : Semver.compare(a, b);
    }

    /** Releases beat prereleases, which beat pseudo-versions, whatever their numbers. */
    private static int rank(String v) {
        if (PseudoVersion.isPseudo(v)) {
            return 0;
        }
        return Semver.prerelease(v).isEmpty() ? 2 : 1;
    }
}
