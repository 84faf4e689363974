package dev.vreg.go.merge;

import dev.vreg.go.info.Rfc3339;
import dev.vreg.go.module.Module;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Derives {@code @latest} from the upstreams' version lists when no upstream serves {@code @latest}, choosing as the
 * go command's {@code latest} query does from a list: the highest release, else the highest prerelease; a
 * pseudo-version only when the lists hold nothing else (the newest one, as the go command's own fallback from
 * {@code @v/list} picks it). The lists are the upstreams' own: a merged list carries no pseudo-versions.
 */
public final class ListedLatest {

    private ListedLatest() {
    }

    private record Listed(String version, Instant time) {
    }

    /** The {@code .info} body of the version {@code @latest} names, if the lists hold any servable one. */
    public static Optional<byte[]> derive(String modulePath, List<byte[]> listBodies) {
        Listed release = null;
        Listed prerelease = null;
        Listed pseudo = null;
        for (byte[] body : listBodies) {
            for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.trim().split("\\s+");
                String version = fields[0];
                if (version.isEmpty() || !Module.isCanonical(version) || !Module.isServable(modulePath, version)) {
                    continue;
                }
                Listed listed = new Listed(version, fields.length > 1 ? time(fields[1]) : null);
                if (PseudoVersion.isPseudo(version)) {
                    pseudo = higher(pseudo, listed);
                } else if (Semver.prerelease(version).isEmpty()) {
                    release = higher(release, listed);
                } else {
                    prerelease = higher(prerelease, listed);
                }
            }
        }
        Listed chosen = release != null ? release : prerelease != null ? prerelease : pseudo;
        if (chosen == null) {
            return Optional.empty();
        }
        Optional<Instant> time = chosen.time() != null ? Optional.of(chosen.time()) : PseudoVersion.time(chosen.version());
        String info = "{\"Version\":\"" + chosen.version() + "\""
                + time.map(t -> ",\"Time\":\"" + DateTimeFormatter.ISO_INSTANT.format(t) + "\"").orElse("") + "}";
        return Optional.of(info.getBytes(StandardCharsets.UTF_8));
    }

    /** A list line's optional timestamp, when it is a valid RFC 3339 time. */
    private static Instant time(String field) {
        if (!Rfc3339.isValid(field)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(field).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Listed higher(Listed best, Listed candidate) {
        if (best == null || Semver.compare(candidate.version(), best.version()) > 0) {
            return candidate;
        }
        if (best.time() == null && candidate.time() != null && candidate.version().equals(best.version())) {
            return candidate;
        }
        return best;
    }
}
