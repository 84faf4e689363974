package dev.vreg.go.merge;

import dev.vreg.go.module.Module;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * Derives {@code @latest} from upstream version lists when no upstream serves {@code @latest}. Against a single
 * proxy without {@code @latest}, the go command falls back to the newest pseudo-version in {@code @v/list}; a merged
 * list carries no pseudo-versions, so vreg has to make that choice itself, from the upstreams' own lists.
 */
public final class PseudoLatest {

    private PseudoLatest() {
    }

    /** The {@code .info} body of the newest servable pseudo-version listed, if any. */
    public static Optional<byte[]> derive(String modulePath, List<byte[]> listBodies) {
        String newest = null;
        for (byte[] body : listBodies) {
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.trim().split("\\s+");
                String version = fields[0];
                if (version.isEmpty() || !PseudoVersion.isPseudo(version) || !Module.isCanonical(version)
                        || !Module.isServable(modulePath, version)) {
                    continue;
                }
                if (newest == null || Semver.compare(version, newest) > 0) {
                    newest = version;
                }
            }
        }
        if (newest == null) {
            return Optional.empty();
        }
        Optional<Instant> time = PseudoVersion.time(newest);
        String info = "{\"Version\":\"" + newest + "\""
                + time.map(t -> ",\"Time\":\"" + DateTimeFormatter.ISO_INSTANT.format(t) + "\"").orElse("") + "}";
        return Optional.of(info.getBytes(StandardCharsets.UTF_8));
    }
}
