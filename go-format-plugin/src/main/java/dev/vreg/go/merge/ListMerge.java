package dev.vreg.go.merge;

import dev.vreg.go.module.Module;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;

/**
 * Merges the {@code @v/list} answers of several upstreams into one: the union of the versions every upstream
 * knows, so a module split across a public proxy and a private host still shows all its tags.
 *
 * <p>A version is kept only if
 * <ul>
 *   <li>it is canonical ({@code v1.2.0}, not {@code v1.2} or {@code v1.2.0+meta}): the go command's own filter
 *       uses {@code semver.IsValid}, which accepts shorthands, and would then ask for files under a name no proxy
 *       serves;</li>
 *   <li>it is not a pseudo-version: the go command ignores them in lists since Go 1.13, and a cache that keeps them
 *       would make them look like tags to older clients;</li>
 *   <li>it belongs to the module path ({@code module.Check} plus the {@code +incompatible} rule): {@code /v2}
 *       paths list only v2.x.y, {@code +incompatible} only appears on unsuffixed paths at v2 and above, gopkg.in
 *       follows its {@code .vN} rule; a version of another major version would be resolved and then fail to
 *       download.</li>
 * </ul>
 * Only the first field of each line counts, as in the go command. The optional second field (a timestamp) is
 * dropped: clients use it only to rank pseudo-versions, which a merged list no longer carries.
 */
public final class ListMerge {

    private ListMerge() {
    }

    /**
     * The merged list for {@code modulePath}: the accepted versions in semantic version order, each on its own line
     * ending in {@code \n}; empty when no upstream listed an acceptable version.
     */
    public static byte[] merge(String modulePath, List<byte[]> bodies) {
        TreeSet<String> versions = new TreeSet<>(Semver.ORDER);
        for (byte[] body : bodies) {
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n", -1)) {
                String v = GoFields.first(line);
                if (v != null && accepts(modulePath, v)) {
                    versions.add(v);
                }
            }
        }
        StringBuilder out = new StringBuilder(versions.size() * 12);
        for (String v : versions) {
            out.append(v).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reports whether {@code v} belongs in the list of {@code modulePath}. */
    public static boolean accepts(String modulePath, String v) {
        return Module.isServable(modulePath, v) && !PseudoVersion.isPseudo(v);
    }
}
