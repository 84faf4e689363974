package dev.vreg.go;

import static dev.vreg.go.module.GoQuote.quote;

import dev.vreg.go.filter.MetadataFilter;
import dev.vreg.go.filter.VersionCondition;
import dev.vreg.go.info.InfoCheck;
import dev.vreg.go.merge.LatestMerge;
import dev.vreg.go.merge.ListMerge;
import dev.vreg.go.merge.ListedLatest;
import dev.vreg.go.merge.QueryMerge;
import dev.vreg.go.module.PathPatterns;
import dev.vreg.go.module.Semver;
import dev.vreg.go.checksumdb.GoChecksumVerifier;
import dev.vreg.go.checksumdb.SumdbPaths;
import dev.vreg.go.zip.ZipLimits;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.AssetKind;
import dev.vreg.spi.ChecksumDbRequest;
import dev.vreg.spi.ChecksumVerifier;
import dev.vreg.spi.ContentCheck;
import dev.vreg.spi.ContentChecker;
import dev.vreg.spi.DiscoveryPage;
import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.MetadataPart;
import dev.vreg.spi.VregException;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.pf4j.Extension;

/**
 * Go modules served over the GOPROXY protocol: classifies {@code list}, {@code @latest}, {@code .info},
 * {@code .mod} and {@code .zip} paths, merges the metadata of several upstreams, and validates content with the
 * go command's own rules before it is cached, recording the go.sum hash ({@code h1}) of every {@code .mod} and
 * {@code .zip}.
 */
@Extension
public final class GoFormatPlugin implements FormatPlugin {

    /** The format id, used in URLs ({@code /go/{group}/{registry}/}). */
    public static final String ID = "go";
    /** The attribute a checked {@code .mod} or {@code .zip} reports its go.sum hash under. */
    public static final String H1 = "h1";

    private static final long MAX_INFO = 1L << 20;
    private static final long MAX_LIST = 16L << 20;

    private final ZipLimits zipLimits;
    private final long maxInfo;
    private final ZipContentCheck zipCheck;
    private final ModCheck modCheck;
    private final InfoCheck infoCheck;
    private final ChecksumVerifier checksums = new GoChecksumVerifier();

    /** The plugin with the go command's limits. */
    public GoFormatPlugin() {
        this(ZipLimits.DEFAULT, MAX_INFO);
    }

    GoFormatPlugin(ZipLimits zipLimits, long maxInfo) {
        this.zipLimits = zipLimits;
        this.maxInfo = maxInfo;
        this.zipCheck = new ZipContentCheck(zipLimits);
        this.modCheck = new ModCheck(zipLimits.maxGoMod());
        this.infoCheck = new InfoCheck(maxInfo);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ArtifactRef classify(String rawPath) {
        return GoPathParser.classify(rawPath);
    }

    @Override
    public String contentType(ArtifactRef ref) {
        return GoFile.of(ref.file()).contentType();
    }

    @Override
    public Buffer merge(ArtifactRef ref, List<MetadataPart> parts) {
        List<byte[]> bodies = parts.stream().map(p -> p.body().getBytes()).toList();
        return switch (metadataFile(ref)) {
            case LIST -> Buffer.buffer(ListMerge.merge(ref.name(), bodies));
            case LATEST -> chosen(parts, LatestMerge.choose(ref.name(), bodies),
                    ref.name() + "@latest: no upstream answered with a usable version");
            case INFO -> chosen(parts, QueryMerge.choose(ref.name(), bodies),
                    ref.name() + "@" + ref.version() + ": no upstream resolved the query to a usable version");
            default -> throw new IllegalArgumentException("not a metadata file: " + ref.path());
        };
    }

    @Override
    public ArtifactRef fallbackFor(ArtifactRef ref) {
        if (ref.kind() != AssetKind.METADATA || GoFile.of(ref.file()) != GoFile.LATEST) {
            return null;
        }
        String list = ref.path().substring(0, ref.path().length() - "@latest".length()) + "@v/list";
        return new ArtifactRef(list, AssetKind.METADATA, ref.name(), null, GoFile.LIST.fileName());
    }

    @Override
    public Buffer mergeFallback(ArtifactRef ref, List<MetadataPart> fallbackParts) {
        List<byte[]> lists = fallbackParts.stream().map(p -> p.body().getBytes()).toList();
        return ListedLatest.derive(ref.name(), lists).map(Buffer::buffer).orElseThrow(() -> VregException.notFound(
                ref.name() + "@latest: no upstream serves @latest or lists a version"));
    }

    @Override
    public ContentCheck check(ArtifactRef ref, Path file) {
        if (ref.kind() != AssetKind.CONTENT) {
            throw new IllegalArgumentException("not a content artifact: " + ref.path());
        }
        return switch (GoFile.of(ref.file())) {
            case ZIP -> new ContentCheck(Map.of(H1, zipCheck.check(ref.name(), ref.version(), file)));
            case MOD -> new ContentCheck(Map.of(H1, modCheck.check(ref.name(), ref.version(), file)));
            case INFO -> {
                infoCheck.check(ref.version(), file);
                yield ContentCheck.NONE;
            }
            default -> throw new IllegalArgumentException("not a content file: " + ref.path());
        };
    }

    /** A {@code .zip} is checked while it streams, in one pass; the small {@code .mod} and {@code .info} after. */
    @Override
    public Optional<ContentChecker> contentChecker(ArtifactRef ref) {
        if (ref.kind() != AssetKind.CONTENT || GoFile.of(ref.file()) != GoFile.ZIP) {
            return Optional.empty();
        }
        return Optional.of(new ZipStreamContentCheck(ref.name(), ref.version(), zipLimits, zipCheck));
    }

    @Override
    public long maxContentLength(ArtifactRef ref) {
        return switch (GoFile.of(ref.file())) {
            case ZIP -> zipLimits.maxZipFile();
            case MOD -> zipLimits.maxGoMod();
            case INFO, LATEST -> maxInfo;
            case LIST -> MAX_LIST;
        };
    }

    /**
     * GOPRIVATE semantics ({@code module.MatchPrefixPatterns}): each hint is a comma-separated list of
     * {@code path.Match} globs, and a glob of N path elements is matched against the first N elements of the module
     * path, so {@code example.com/private} admits {@code example.com/private/x} and {@code *.corp.example} admits
     * {@code git.corp.example/team/mod}. Matching is case-sensitive, on the module path as the go command spells it.
     * Only {@code [^x]} negates a class: unlike shell globs, {@code [!x]} is the class of {@code !} and {@code x}.
     */
    @Override
    public boolean matchesHints(List<String> hints, ArtifactRef ref) {
        return hints.isEmpty() || PathPatterns.matchPrefixPatterns(String.join(",", hints), ref.name());
    }

    /** A hint must hold at least one glob, and every glob must be well formed ({@code example.com/[} is not). */
    @Override
    public Optional<String> hintProblem(String hint) {
        if (!PathPatterns.hasPattern(hint)) {
            return Optional.of("module path pattern " + quote(hint) + " is empty; give a GOPRIVATE-style glob "
                    + "such as example.com/private or *.corp.example");
        }
        return PathPatterns.malformed(hint).map(glob -> "module path pattern " + quote(glob)
                + " is malformed: syntax error in pattern");
    }

    /** See {@link VersionCondition}: semver ranges and the words prerelease, pseudo, incompatible, release. */
    @Override
    public Optional<String> versionConditionProblem(String condition) {
        return VersionCondition.problem(condition);
    }

    @Override
    public boolean versionMatches(String condition, String version) {
        return VersionCondition.matches(condition, version);
    }

    /** Semantic version precedence, as the go command orders versions (a pseudo-version is a prerelease). */
    @Override
    public int compareVersions(String a, String b) {
        int c = Semver.compare(a, b);
        return c != 0 ? c : a.compareTo(b);
    }

    @Override
    public Buffer filterMetadata(ArtifactRef ref, Buffer body, Function<String, Optional<String>> refusal) {
        return switch (metadataFile(ref)) {
            case LIST -> MetadataFilter.list(body, refusal);
            case LATEST, INFO -> MetadataFilter.info(body, refusal);
            default -> body;
        };
    }

    /** A module path prefix: a valid module path, optionally ending in {@code /} (then every path below it). */
    @Override
    public Optional<String> vanityPrefixProblem(String prefix) {
        return GoImportPage.prefixProblem(prefix);
    }

    /** The {@code ?go-get=1} page: a {@code go-import} meta tag naming the registry as a {@code mod} proxy. */
    @Override
    public Optional<DiscoveryPage> discoveryPage(String name, Map<String, String> query, String registryUrl) {
        return GoImportPage.answer(name, query, registryUrl);
    }

    /** {@code sumdb/<name>/...}: the checksum database endpoints the go command asks a proxy for. */
    @Override
    public Optional<ChecksumDbRequest> checksumDbRequest(String rawPath) {
        return SumdbPaths.classify(PercentDecoding.decode(rawPath));
    }

    @Override
    public Optional<ChecksumVerifier> checksumVerifier() {
        return Optional.of(checksums);
    }

    private static GoFile metadataFile(ArtifactRef ref) {
        if (ref.kind() != AssetKind.METADATA) {
            throw new IllegalArgumentException("not a metadata artifact: " + ref.path());
        }
        return GoFile.of(ref.file());
    }

    /** The chosen part's body exactly as the upstream sent it. */
    private static Buffer chosen(List<MetadataPart> parts, Optional<Integer> index, String reason) {
        return index.map(i -> parts.get(i).body()).orElseThrow(() -> VregException.notFound(reason));
    }
}
