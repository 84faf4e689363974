package dev.vreg.testkit.upstream;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The small, known set of Go module files the conformance suite serves through every fixture, and a helper that
 * turns a GOPROXY path into the {@link ArtifactRef} the Go format plugin would produce for it.
 *
 * <p>The set contains the prefix trap ({@code github.com/one/two}, {@code github.com/one/two-other} and
 * {@code github.com/one/two/v2} are three different modules whose paths share prefixes), a bang-escaped module
 * path and a binary zip holding every byte value.
 */
public final class ConformanceArtifacts {

    /** The list of {@code github.com/one/two}. */
    public static final ArtifactRef TWO_LIST = ref("github.com/one/two/@v/list");
    /** The list of {@code github.com/one/two-other}: a sibling whose path starts with the one above. */
    public static final ArtifactRef TWO_OTHER_LIST = ref("github.com/one/two-other/@v/list");
    /** The list of {@code github.com/one/two/v2}: a major version whose path extends the one above. */
    public static final ArtifactRef TWO_V2_LIST = ref("github.com/one/two/v2/@v/list");
    /** The {@code .info} of {@code github.com/one/two@v1.1.0}. */
    public static final ArtifactRef TWO_INFO = ref("github.com/one/two/@v/v1.1.0.info");
    /** The {@code .mod} of {@code github.com/one/two@v1.1.0}. */
    public static final ArtifactRef TWO_MOD = ref("github.com/one/two/@v/v1.1.0.mod");
    /** The {@code .zip} of {@code github.com/one/two@v1.1.0}. */
    public static final ArtifactRef TWO_ZIP = ref("github.com/one/two/@v/v1.1.0.zip");
    /** The {@code @latest} of {@code github.com/one/two}. */
    public static final ArtifactRef TWO_LATEST = ref("github.com/one/two/@latest");
    /** A module whose path has upper-case letters, so its path is bang-escaped. */
    public static final ArtifactRef BURNT_SUSHI_MOD = ref("github.com/!burnt!sushi/toml/@v/v1.3.2.mod");
    /** A path no fixture ever serves. */
    public static final ArtifactRef MISSING = ref("github.com/one/missing/@v/list");
    /** The parent of {@link #TWO_LIST}; never served, so a client that matched by prefix would be caught. */
    public static final ArtifactRef ONE_LIST = ref("github.com/one/@v/list");
    /** The artifact the large-body test serves with {@link UpstreamFixture#serveGenerated}. */
    public static final ArtifactRef LARGE_ZIP = ref("example.com/large/@v/v1.0.0.zip");
    /** The artifact the failure tests program with {@link UpstreamFixture#fail}. */
    public static final ArtifactRef FAILING_ZIP = ref("example.com/failing/@v/v1.0.0.zip");

    private ConformanceArtifacts() {
    }

    /** Every small artifact of the set with its exact bytes, in a stable order. */
    public static Map<ArtifactRef, byte[]> small() {
        Map<ArtifactRef, byte[]> files = new LinkedHashMap<>();
        files.put(TWO_LIST, text("v1.0.0\nv1.1.0\n"));
        files.put(TWO_OTHER_LIST, text("v0.1.0\n"));
        files.put(TWO_V2_LIST, text("v2.0.0\nv2.0.1\n"));
        files.put(TWO_INFO, text("{\"Version\":\"v1.1.0\",\"Time\":\"2024-05-01T10:00:00Z\"}"));
        files.put(TWO_MOD, text("module github.com/one/two\n\ngo 1.21\n"));
        files.put(TWO_ZIP, everyByteValue(3));
        files.put(TWO_LATEST, text("{\"Version\":\"v1.1.0\",\"Time\":\"2024-05-01T10:00:00Z\"}"));
        files.put(BURNT_SUSHI_MOD, text("module github.com/BurntSushi/toml\n\ngo 1.18\n"));
        return files;
    }

    /** The entity tag the suite serves {@code ref} with: quoted, derived from the path. */
    public static String etagOf(ArtifactRef ref) {
        return "\"" + Integer.toHexString(ref.path().hashCode()) + "\"";
    }

    /**
     * The {@link ArtifactRef} for a bang-escaped GOPROXY path ({@code <module>/@v/list}, {@code <module>/@latest} or
     * {@code <module>/@v/<version>.<info|mod|zip>}).
     */
    public static ArtifactRef ref(String path) {
        if (path.endsWith("/@v/list")) {
            return new ArtifactRef(path, AssetKind.METADATA, unescape(path.substring(0, path.length() - 8)), null,
                    "list");
        }
        if (path.endsWith("/@latest")) {
            return new ArtifactRef(path, AssetKind.METADATA, unescape(path.substring(0, path.length() - 8)), null,
                    "latest");
        }
        int at = path.indexOf("/@v/");
        int dot = path.lastIndexOf('.');
        if (at < 0 || dot < at) {
            throw new IllegalArgumentException("not a GOPROXY artifact path: " + path);
        }
        return new ArtifactRef(path, AssetKind.CONTENT, unescape(path.substring(0, at)),
                path.substring(at + 4, dot), path.substring(dot + 1));
    }

    private static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '!' && i + 1 < escaped.length()) {
                out.append(Character.toUpperCase(escaped.charAt(++i)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] text(String content) {
        return content.getBytes(StandardCharsets.UTF_8);
    }

    // Every byte value several times over, so a client that decodes the body as text anywhere is caught.
    private static byte[] everyByteValue(int rounds) {
        byte[] bytes = new byte[256 * rounds];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
