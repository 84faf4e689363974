package dev.vreg.host.stats;

import dev.vreg.spi.ArtifactRef;
import java.util.Locale;
import java.util.Set;

/**
 * The kind of file a package request named, as a metric label and a statistics column: one of a few fixed words, so
 * no request can add a label value.
 */
public final class FileKind {

    /** A path the format did not recognise, or a request that failed before it was classified. */
    public static final String UNKNOWN = "unknown";
    private static final Set<String> KNOWN = Set.of("info", "mod", "zip", "list", "latest", "sumdb");

    private FileKind() {
    }

    public static String of(ArtifactRef ref) {
        if (ref == null) {
            return UNKNOWN;
        }
        if (ref.path().startsWith("sumdb/") || ref.path().startsWith("/sumdb/")) {
            return "sumdb";
        }
        String file = ref.file() == null ? "" : ref.file().toLowerCase(Locale.ROOT);
        int dot = file.lastIndexOf('.');
        String kind = dot >= 0 ? file.substring(dot + 1) : file;
        if (kind.startsWith("@")) {
            kind = kind.substring(1);
        }
        return KNOWN.contains(kind) ? kind : "other";
    }
}
