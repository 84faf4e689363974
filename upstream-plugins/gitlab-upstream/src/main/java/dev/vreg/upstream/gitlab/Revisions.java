package dev.vreg.upstream.gitlab;

import dev.vreg.go.module.Module;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns revisions into module versions as the go command does ({@code codeRepo.Stat}, {@code convert},
 * {@code validatePseudoVersion}): a canonical version names its tag; a branch, a commit hash or a partial version
 * names a commit, which becomes the canonical tag on it if it has one, or otherwise a pseudo-version whose base is
 * the highest tag of the module it descends from; a pseudo-version is checked against the commit it names.
 */
final class Revisions {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final int MAX_ANCESTRY_CHECKS = 100;

    /** A commit as the code host reports it for a revision: the tag the revision named, if any, and its tags. */
    private record Raw(GitlabCode.Commit commit, String version, List<String> tags) {
    }

    private record TagVersion(String version, boolean canonical) {
    }

    private final ModuleRepo repo;
    private final GitlabCode code;

    Revisions(ModuleRepo repo) {
        this.repo = repo;
        this.code = repo.code;
    }

    /** The module version {@code rev} stands for ({@code .info}); {@code latest} is the default branch's head. */
    Future<RevInfo> stat(String rev) {
        if (rev.equals("latest")) {
            return latest();
        }
        String codeRev = repo.revToRev(rev);
        return code.commit(codeRev).compose(found -> found.isEmpty()
                ? fail(rev, "unknown revision " + codeRev)
                : raw(found.get(), codeRev).compose(info -> convert(info, rev)));
    }

    /**
     * Whether a .mod or .zip of {@code version} must first be checked as its .info is: a pseudo-version must name its
     * commit truthfully, and {@code +incompatible} must be allowed, which the go command checks when it resolves
     * the version and the file lookup alone would not.
     */
    boolean needsCheck(String version) {
        return PseudoVersion.isPseudo(version) || version.endsWith(Module.INCOMPATIBLE);
    }

    /** The version of the default branch's head, as the go command's direct {@code @latest} fallback answers. */
    Future<RevInfo> latest() {
        String branch = code.project().defaultBranch();
        if (branch == null) {
            return fail("latest", "the repository has no commits");
        }
        return code.commit(branch).compose(found -> found.isEmpty()
                ? fail("latest", "unknown revision " + branch)
                : raw(found.get(), branch).compose(info -> convert(info, "")));
    }

    private Future<Raw> raw(GitlabCode.Commit commit, String rev) {
        return code.tags().map(tags -> {
            List<String> on = new ArrayList<>();
            for (GitlabCode.Tag t : tags) {
                if (t.commit().equals(commit.id())) {
                    on.add(t.name());
                }
            }
            return new Raw(commit, on.contains(rev) ? rev : commit.id(), on);
        });
    }

    private Future<RevInfo> convert(Raw info, String statVers) {
        Future<Boolean> canUseIncompatible = repo.codeDir.isEmpty() && repo.pathMajor.isEmpty()
                ? code.readFile(info.commit().id(), "go.mod", ModuleRepo.MAX_GO_MOD).map(Optional::isEmpty)
                : Future.succeededFuture(false);
        return canUseIncompatible.compose(canUse -> convert(info, statVers, canUse));
    }

    private Future<RevInfo> convert(Raw info, String statVers, boolean canUse) {
        if (!statVers.isEmpty() && statVers.equals(Module.canonicalVersion(statVers))) {
            if (PseudoVersion.isPseudo(statVers)) {
                return validatePseudo(info, statVers).compose(v -> checkGoMod(info, statVers, canUse));
            }
            if (!Module.matchPathMajor(statVers, repo.pathMajor)) {
                if (canUse) {
                    return checkGoMod(info, statVers + Module.INCOMPATIBLE, canUse);
                }
                return fail(statVers, "module contains a go.mod file, so major version must be compatible: should be "
                        + (repo.pathMajor.isEmpty() ? "v0 or v1" : repo.pathMajor.substring(1)) + ", not "
                        + Semver.major(statVers));
            }
            return checkGoMod(info, statVers, canUse);
        }
        if (tagToVersion(info.version(), canUse).canonical()) {
            return checkGoMod(info, tagToVersion(info.version(), canUse).version(), canUse);
        }
        String best = "";
        String pseudoBase = "";
        for (String tag : info.tags()) {
            TagVersion tv = tagToVersion(tag, canUse);
            if (tv.canonical()) {
                if (!statVers.isEmpty() && Semver.compare(tv.version(), statVers) == 0) {
                    return checkGoMod(info, tv.version(), canUse);
                }
                if (Semver.compare(best, tv.version()) < 0) {
                    best = tv.version();
                }
            } else if (!tv.version().isEmpty() && Semver.compare(tv.version(), statVers) == 0) {
                pseudoBase = tv.version();
            }
        }
        if (!best.isEmpty()) {
            return checkGoMod(info, best, canUse);
        }
        Future<String> base = pseudoBase.isEmpty() ? recentBase(info, canUse) : Future.succeededFuture(pseudoBase);
        return base.compose(b -> checkGoMod(info,
                PseudoVersion.of(repo.pseudoMajor, b, info.commit().time(), info.commit().shortName()), canUse));
    }

    /** The version a tag gives this module, empty when it gives none ({@code tagToVersion} of convert). */
    private TagVersion tagToVersion(String tag, boolean canUse) {
        String prefix = repo.tagPrefix();
        if (!tag.startsWith(prefix) || PseudoVersion.isPseudo(tag)) {
            return new TagVersion("", false);
        }
        String trimmed = tag.substring(prefix.length());
        String v = Semver.canonical(trimmed);
        if (v.isEmpty() || !trimmed.startsWith(v)) {
            return new TagVersion("", false);
        }
        boolean canonical = v.equals(trimmed);
        if (!Module.matchPathMajor(v, repo.pathMajor)) {
            return canUse ? new TagVersion(v + Module.INCOMPATIBLE, canonical) : new TagVersion("", false);
        }
        return new TagVersion(v, canonical);
    }

    private Future<String> recentBase(Raw info, boolean canUse) {
        Future<String> tag;
        if (!repo.pseudoMajor.isEmpty() || canUse) {
            tag = recentTag(info.commit().id(), allowedMajor(repo.pseudoMajor));
        } else {
            tag = recentTag(info.commit().id(), allowedMajor("v1"))
                    .compose(t -> t.isEmpty() ? recentTag(info.commit().id(), allowedMajor("v0"))
                            : Future.succeededFuture(t));
        }
        return tag.map(t -> t.isEmpty() ? "" : tagToVersion(t, canUse).version());
    }

    private static Predicate<String> allowedMajor(String major) {
        return v -> major.isEmpty() || Semver.major(v).equals(major);
    }

    /** The highest tag of this module that {@code commit} descends from ({@code git for-each-ref --merged}). */
    private Future<String> recentTag(String commit, Predicate<String> allowed) {
        String prefix = repo.tagPrefix();
        return code.tags().compose(tags -> {
            List<GitlabCode.Tag> candidates = new ArrayList<>();
            for (GitlabCode.Tag t : tags) {
                if (t.name().startsWith(prefix)) {
                    String semtag = t.name().substring(prefix.length());
                    if (Semver.isValid(semtag) && allowed.test(semtag)) {
                        candidates.add(t);
                    }
                }
            }
            candidates.sort(Comparator.comparing((GitlabCode.Tag t) -> t.name().substring(prefix.length()),
                    Semver.ORDER.reversed()));
            return firstAncestor(commit, candidates.subList(0, Math.min(candidates.size(), MAX_ANCESTRY_CHECKS)), 0);
        });
    }

    private Future<String> firstAncestor(String commit, List<GitlabCode.Tag> tags, int i) {
        if (i >= tags.size()) {
            return Future.succeededFuture("");
        }
        return code.descendsFrom(commit, tags.get(i).commit()).compose(yes -> yes
                ? Future.succeededFuture(tags.get(i).name()) : firstAncestor(commit, tags, i + 1));
    }

    private Future<Void> validatePseudo(Raw info, String version) {
        if (!Module.matchPathMajor(version, repo.pathMajor)) {
            return failPseudo(version, "should be " + (repo.pathMajor.isEmpty() ? "v0 or v1"
                    : repo.pathMajor.substring(1)) + ", not " + Semver.major(version));
        }
        String rev = PseudoVersion.rev(version);
        String shortName = info.commit().shortName();
        if (!rev.equals(shortName)) {
            return failPseudo(version, rev.startsWith(shortName) ? "revision is longer than canonical (" + shortName + ")"
                    : shortName.startsWith(rev) ? "revision is shorter than canonical (" + shortName + ")"
                    : "does not match short name of revision (" + shortName + ")");
        }
        Instant time = PseudoVersion.time(version).orElse(null);
        if (time == null || !time.equals(info.commit().time())) {
            return failPseudo(version, "does not match version-control timestamp (expected "
                    + STAMP.format(LocalDateTime.ofInstant(info.commit().time(), ZoneOffset.UTC)) + ")");
        }
        String unsuffixed = version.endsWith(Module.INCOMPATIBLE)
                ? version.substring(0, version.length() - Module.INCOMPATIBLE.length()) : version;
        String base = PseudoVersion.base(unsuffixed);
        if (base.isEmpty()) {
            if (repo.pseudoMajor.isEmpty() && Semver.major(version).equals("v1")) {
                return failPseudo(version, "major version without preceding tag must be v0, not v1");
            }
            return Future.succeededFuture();
        }
        String prefix = repo.tagPrefix();
        for (String tag : info.tags()) {
            if (tag.startsWith(prefix) && tag.substring(prefix.length()).equals(base)) {
                return failPseudo(version, "tag (" + tag + ") found on revision " + rev + " is already canonical, so "
                        + "should not be replaced with a pseudo-version derived from that tag");
            }
        }
        return code.tags().compose(tags -> {
            List<GitlabCode.Tag> same = new ArrayList<>();
            for (GitlabCode.Tag t : tags) {
                if (t.name().startsWith(prefix + base)
                        && Semver.compare(t.name().substring(prefix.length()), base) == 0) {
                    same.add(t);
                }
            }
            if (same.isEmpty()) {
                return failPseudo(version, "preceding tag (" + base + ") not found");
            }
            return firstAncestor(info.commit().id(), same, 0).compose(found -> found.isEmpty()
                    ? failPseudo(version, "revision " + rev + " is not a descendent of preceding tag ("
                    + same.get(same.size() - 1).name() + ")")
                    : Future.succeededFuture());
        });
    }

    private Future<RevInfo> checkGoMod(Raw info, String version, boolean canUse) {
        return repo.findDir(version).compose(dir -> {
            if (version.endsWith(Module.INCOMPATIBLE)) {
                if (!canUse) {
                    return fail(version, repo.pathMajor.isEmpty()
                            ? "+incompatible suffix not allowed: module contains a go.mod file, so semantic import "
                            + "versioning is required"
                            : "+incompatible suffix not allowed: module path includes a major version suffix, so "
                            + "major version must match");
                }
                String plain = version.substring(0, version.length() - Module.INCOMPATIBLE.length());
                if (Module.matchPathMajor(plain, repo.pathMajor)) {
                    return fail(version, "+incompatible suffix not allowed: major version " + Semver.major(version)
                            + " is compatible");
                }
            }
            return Future.succeededFuture(new RevInfo(version, info.commit().time(), info.commit().id()));
        });
    }

    private <T> Future<T> fail(String version, String reason) {
        return Future.failedFuture(VregException.notFound(repo.modPath + "@" + version + ": invalid version: "
                + reason));
    }

    private <T> Future<T> failPseudo(String version, String reason) {
        return Future.failedFuture(VregException.notFound(repo.modPath + "@" + version + ": invalid pseudo-version: "
                + reason));
    }
}
