package dev.vreg.go.filter;

import dev.vreg.go.GoPathParser;
import dev.vreg.go.merge.LatestMerge;
import dev.vreg.go.module.GoQuote;
import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.go.module.ModuleException;
import dev.vreg.go.module.Module;
import dev.vreg.go.module.Retractions;
import dev.vreg.go.module.Semver;
import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import dev.vreg.spi.Withdrawal;
import dev.vreg.spi.Withdrawals;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The versions of a module retracted by the go.mod of its latest version, found as the go command finds them
 * ({@code queryLatestVersionIgnoringRetractions}, {@code CheckRetractions}): the latest version is the highest
 * release of {@code @v/list}, else its highest prerelease, else the version {@code @latest} names; retractions
 * themselves are not applied in choosing it. {@code +incompatible} versions are passed over when the highest
 * compatible version has a go.mod of its own, as the go command's {@code filterVersions} does. The retractions are
 * read from that version's {@code .mod} with {@link Retractions}.
 */
public final class RetractedVersions {

    private RetractedVersions() {
    }

    public static Future<Withdrawals> read(String module, Function<ArtifactRef, Future<Buffer>> read) {
        String escaped = ModuleEscaping.escapePath(module);
        return orNothing(read.apply(GoPathParser.classify(escaped + "/@v/list"))).compose(list -> {
            List<String> versions = versions(module, list);
            return withoutIncompatible(module, versions, read).compose(candidates -> {
                Optional<String> latest = latest(candidates);
                if (latest.isPresent()) {
                    return retractedBy(module, latest.get(), read);
                }
                return orNothing(read.apply(GoPathParser.classify(escaped + "/@latest"))).compose(info -> {
                    String version = info == null ? null : LatestMerge.usableVersion(module, info.getBytes());
                    return version == null ? Future.succeededFuture(Withdrawals.NONE)
                            : retractedBy(module, version, read);
                });
            });
        });
    }

    /** The listed versions in ascending order; the merged list already holds only this module's canonical ones. */
    private static List<String> versions(String module, Buffer list) {
        List<String> versions = new ArrayList<>();
        if (list != null) {
            for (String line : list.toString(StandardCharsets.UTF_8).split("\n")) {
                String v = line.strip();
                if (!v.isEmpty() && Module.isServable(module, v)) {
                    versions.add(v);
                }
            }
        }
        versions.sort(Semver.ORDER);
        return versions;
    }

    /**
     * The versions the latest is chosen among: without the {@code +incompatible} ones when the highest compatible
     * version below them has a real go.mod (not the one a proxy makes up for a module without one).
     */
    private static Future<List<String>> withoutIncompatible(String module, List<String> versions,
                                                            Function<ArtifactRef, Future<Buffer>> read) {
        String lastCompatible = null;
        for (String v : versions) {
            if (!v.endsWith(Module.INCOMPATIBLE)) {
                lastCompatible = v;
            } else if (lastCompatible != null) {
                String compatible = lastCompatible;
                return orNothing(read.apply(modRef(module, compatible))).map(mod -> {
                    boolean real = mod != null && !mod.toString(StandardCharsets.UTF_8)
                            .equals("module " + autoQuote(module) + "\n");
                    return real ? versions.stream().filter(x -> !x.endsWith(Module.INCOMPATIBLE)).toList()
                            : versions;
                });
            } else {
                break;
            }
        }
        return Future.succeededFuture(versions);
    }

    private static Optional<String> latest(List<String> versions) {
        Optional<String> release = versions.stream().filter(v -> Semver.prerelease(v).isEmpty())
                .reduce((a, b) -> b);
        return release.isPresent() ? release : versions.stream().reduce((a, b) -> b);
    }

    private static Future<Withdrawals> retractedBy(String module, String latest,
                                                   Function<ArtifactRef, Future<Buffer>> read) {
        return read.apply(modRef(module, latest)).compose(mod -> {
            Retractions retractions;
            try {
                retractions = Retractions.read(mod.getBytes());
            } catch (ModuleException e) {
                return Future.failedFuture(VregException.upstreamInvalid(module + "@" + latest
                        + ": the go.mod of the latest version cannot be read for its retractions: " + e.getMessage()));
            }
            if (retractions.all().isEmpty()) {
                return Future.succeededFuture(Withdrawals.NONE);
            }
            return Future.succeededFuture(version -> {
                if (retractions.covering(version).isEmpty()) {
                    return Optional.empty();
                }
                String rationale = String.join("\n", retractions.rationales(version));
                String oneLine = rationale.replace('\n', ' ').replaceAll("\\p{Cntrl}", " ");
                return Optional.of(new Withdrawal(latest, rationale, "retracted by the go.mod of " + latest
                        + (oneLine.isBlank() ? "" : ": " + oneLine)));
            });
        });
    }

    private static ArtifactRef modRef(String module, String version) {
        return GoPathParser.classify(ModuleEscaping.escapePath(module) + "/@v/"
                + ModuleEscaping.escapeVersion(version) + ".mod");
    }

    /** The body, or {@code null} when the registry has nothing for the path. */
    private static Future<Buffer> orNothing(Future<Buffer> reading) {
        return reading.recover(e -> VregException.is(e, ErrorKind.NOT_FOUND) || VregException.is(e, ErrorKind.GONE)
                ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    /** modfile's {@code AutoQuote}: the path as written in a go.mod, quoted when it needs to be. */
    private static String autoQuote(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '`' || c == '\\' || c == '(' || c == ')' || c == '['
                    || c == ']' || c == '{' || c == '}' || c == ',' || path.startsWith("//", i)
                    || path.startsWith("/*", i)) {
                return GoQuote.quote(path);
            }
        }
        return path;
    }
}
