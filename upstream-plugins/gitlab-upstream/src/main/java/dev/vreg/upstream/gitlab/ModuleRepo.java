package dev.vreg.upstream.gitlab;

import dev.vreg.go.module.Module;
import dev.vreg.go.module.ModuleDirective;
import dev.vreg.go.module.ModulePath;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One module inside one project's repository, laid out as the go command lays it out ({@code modfetch.codeRepo}):
 * the module path minus the repository's root path and the major version suffix is the module's directory
 * ({@code codeDir}); a {@code /vN} module lives either in that directory with a go.mod declaring {@code /vN} (the
 * major branch layout) or in its {@code vN} subdirectory (the major subdirectory layout). Tags of a module in a
 * directory carry the directory as a prefix ({@code sub/v1.2.0}).
 */
final class ModuleRepo {

    /** The go command's limit on a go.mod read from a repository. */
    static final long MAX_GO_MOD = 16L << 20;

    final GitlabCode code;
    final String modPath;
    final String codeRoot;
    final String codeDir;
    final String pathPrefix;
    final String pathMajor;
    final String pseudoMajor;

    ModuleRepo(GitlabCode code, String modPath) {
        this.code = code;
        this.modPath = modPath;
        this.codeRoot = code.project().codeRoot();
        ModulePath.PathVersion split = ModulePath.splitPathVersion(modPath);
        if (!split.ok()) {
            throw VregException.notFound("invalid module path " + modPath);
        }
        this.pathMajor = split.pathMajor();
        this.pathPrefix = codeRoot.equals(modPath) ? modPath : split.prefix();
        this.pseudoMajor = pathMajor.isEmpty() ? "" : pathMajor.substring(1).replace("-unstable", "");
        if (codeRoot.equals(modPath)) {
            this.codeDir = "";
        } else if (hasPathPrefix(pathPrefix, codeRoot)) {
            this.codeDir = pathPrefix.substring(codeRoot.length()).replaceAll("^/+|/+$", "");
        } else {
            throw VregException.notFound("repository rooted at " + codeRoot + " cannot contain module " + modPath);
        }
    }

    /** The prefix of this module's tags: its directory and a slash, or nothing at the root. */
    String tagPrefix() {
        return codeDir.isEmpty() ? "" : codeDir + "/";
    }

    /**
     * The {@code @v/list}: canonical tag versions of this module, sorted, and {@code +incompatible} versions of a
     * root module without go.mod where the go command lists them ({@code codeRepo.Versions}). Retractions are left
     * to the go.mod, as the go command leaves them.
     */
    Future<List<String>> versions() {
        String p = tagPrefix();
        return code.tags().compose(tags -> {
            List<String> list = new ArrayList<>();
            List<String> incompatible = new ArrayList<>();
            for (GitlabCode.Tag tag : tags) {
                if (!tag.name().startsWith(p)) {
                    continue;
                }
                String v = tag.name().substring(p.length());
                if (v.isEmpty() || !v.equals(Module.canonicalVersion(v)) || PseudoVersion.isPseudo(v)) {
                    continue;
                }
                if (!Module.matchPathMajor(v, pathMajor)) {
                    if (codeDir.isEmpty() && pathMajor.isEmpty() && Semver.major(v).compareTo("v1") > 0) {
                        incompatible.add(v);
                    }
                    continue;
                }
                list.add(v);
            }
            list.sort(Semver.ORDER);
            incompatible.sort(Semver.ORDER);
            return appendIncompatible(list, incompatible);
        });
    }

    private Future<List<String>> appendIncompatible(List<String> list, List<String> incompatible) {
        if (incompatible.isEmpty() || !pathMajor.isEmpty()) {
            return Future.succeededFuture(list);
        }
        Future<Boolean> latestHasGoMod = list.isEmpty() ? Future.succeededFuture(false)
                : hasGoMod(list.get(list.size() - 1));
        return latestHasGoMod.compose(has -> has ? Future.succeededFuture(list) : addMajors(list, incompatible, 0));
    }

    /** Adds the +incompatible versions of each major version whose latest release has no go.mod. */
    private Future<List<String>> addMajors(List<String> list, List<String> incompatible, int from) {
        if (from >= incompatible.size()) {
            return Future.succeededFuture(list);
        }
        String major = Semver.major(incompatible.get(from));
        int end = from;
        while (end < incompatible.size() && Semver.major(incompatible.get(end)).equals(major)) {
            end++;
        }
        int to = end;
        return hasGoMod(incompatible.get(to - 1)).compose(has -> {
            if (!has) {
                for (String v : incompatible.subList(from, to)) {
                    list.add(v + Module.INCOMPATIBLE);
                }
            }
            return addMajors(list, incompatible, to);
        });
    }

    /** Whether the tag {@code tag} has a go.mod at the repository root. */
    Future<Boolean> hasGoMod(String tag) {
        return code.readFile(tag, "go.mod", MAX_GO_MOD).map(Optional::isPresent);
    }

    /** The tag or revision a canonical version stands for ({@code codeRepo.revToRev}). */
    String revToRev(String version) {
        if (Semver.isValid(version)) {
            if (PseudoVersion.isPseudo(version)) {
                return PseudoVersion.rev(version);
            }
            String v = Semver.build(version).equals(Module.INCOMPATIBLE)
                    ? version.substring(0, version.length() - Module.INCOMPATIBLE.length()) : version;
            return tagPrefix() + v;
        }
        return version;
    }

    /**
     * Where {@code version} lives ({@code codeRepo.findDir}): its go.mod must declare this major version, in the
     * module's directory or, for {@code /vN}, in its {@code vN} subdirectory, but not in both; only a root v0/v1
     * module may have none.
     *
     * @throws VregException NOT_FOUND with the go command's explanation otherwise
     */
    Future<ModuleDir> findDir(String version) {
        String rev = revToRev(version);
        return code.commit(rev).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(VregException.notFound(modPath + "@" + version
                        + ": invalid version: unknown revision " + rev));
            }
            String commit = found.get().id();
            String file1 = join(codeDir, "go.mod");
            return code.readFile(commit, file1, MAX_GO_MOD).compose(gomod1 -> {
                boolean found1 = gomod1.isPresent() && isMajor(declared(gomod1.get()), pathMajor);
                if (!pathMajor.isEmpty() && !codeRoot.equals(modPath) && !pathMajor.startsWith(".")) {
                    String dir2 = join(codeDir, pathMajor.substring(1));
                    String file2 = join(dir2, "go.mod");
                    return code.readFile(commit, file2, MAX_GO_MOD).compose(gomod2 -> {
                        String mpath2 = gomod2.map(ModuleRepo::declared).orElse("");
                        boolean found2 = gomod2.isPresent() && isMajor(mpath2, pathMajor);
                        if (found1 && found2) {
                            return fail(version, pathPrefix + "/" + file1 + " and ..." + pathMajor
                                    + "/go.mod both have ..." + pathMajor + " module paths at revision " + rev);
                        }
                        if (found2) {
                            return Future.succeededFuture(new ModuleDir(commit, dir2, gomod2.get()));
                        }
                        if (gomod2.isPresent()) {
                            return fail(version, mpath2.isEmpty()
                                    ? pathPrefix + "/" + file2 + " is missing module path at revision " + rev
                                    : pathPrefix + "/" + file2 + " has non-..." + pathMajor + " module path \""
                                    + mpath2 + "\" at revision " + rev);
                        }
                        return rootOrNothing(version, rev, commit, gomod1, found1, file1, true);
                    });
                }
                return rootOrNothing(version, rev, commit, gomod1, found1, file1, false);
            });
        });
    }

    private Future<ModuleDir> rootOrNothing(String version, String rev, String commit, Optional<Buffer> gomod1,
                                            boolean found1, String file1, boolean hadFile2) {
        if (found1) {
            return Future.succeededFuture(new ModuleDir(commit, codeDir, gomod1.get()));
        }
        String suffix = hadFile2 ? " (and ..." + pathMajor + "/go.mod does not exist)" : "";
        if (gomod1.isPresent()) {
            String mpath1 = declared(gomod1.get());
            if (mpath1.isEmpty()) {
                return fail(version, file1 + " is missing module path" + suffix + " at revision " + rev);
            }
            if (!pathMajor.isEmpty()) {
                return fail(version, file1 + " has non-..." + pathMajor + " module path \"" + mpath1 + "\"" + suffix
                        + " at revision " + rev);
            }
            return fail(version, file1 + " has post-" + Semver.major(version) + " module path \"" + mpath1 + "\""
                    + suffix + " at revision " + rev);
        }
        if (codeDir.isEmpty() && (pathMajor.isEmpty() || pathMajor.startsWith("."))) {
            return Future.succeededFuture(new ModuleDir(commit, "", null));
        }
        if (hadFile2) {
            return fail(version, "missing " + pathPrefix + "/go.mod and ..." + pathMajor + "/go.mod at revision "
                    + rev);
        }
        return fail(version, "missing " + pathPrefix + "/go.mod at revision " + rev);
    }

    /** The go.mod of {@code version}, or the one line the go command writes for a module that has none. */
    Future<Buffer> goMod(String version, Revisions revisions) {
        if (!version.equals(Module.canonicalVersion(version))) {
            return Future.failedFuture(VregException.notFound("version " + version + " is not canonical"));
        }
        Future<?> checked = revisions.needsCheck(version) ? revisions.stat(version) : Future.succeededFuture();
        return checked.compose(v -> findDir(version)).map(dir -> dir.goMod() != null ? dir.goMod()
                : Buffer.buffer("module " + modPath + "\n"));
    }

    private <T> Future<T> fail(String version, String reason) {
        return Future.failedFuture(VregException.notFound(modPath + "@" + version + ": invalid version: " + reason));
    }

    private static String declared(Buffer goMod) {
        return ModuleDirective.declaredPath(goMod.getBytes()).orElse("");
    }

    /** Whether a go.mod declaring {@code mpath} fits the major version {@code pathMajor} demands. */
    static boolean isMajor(String mpath, String pathMajor) {
        if (mpath.isEmpty()) {
            return false;
        }
        ModulePath.PathVersion split = ModulePath.splitPathVersion(mpath);
        if (!split.ok()) {
            return false;
        }
        String mpathMajor = split.pathMajor();
        if (pathMajor.isEmpty()) {
            String prefix = mpathMajor.isEmpty() ? "" : mpathMajor.substring(1).replace("-unstable", "");
            return prefix.isEmpty() || prefix.equals("v0") || prefix.equals("v1");
        }
        if (mpathMajor.isEmpty()) {
            return false;
        }
        return pathMajor.substring(1).equals(mpathMajor.substring(1));
    }

    static boolean hasPathPrefix(String s, String prefix) {
        if (s.length() == prefix.length()) {
            return s.equals(prefix);
        }
        if (s.length() > prefix.length()) {
            if (!prefix.isEmpty() && prefix.endsWith("/")) {
                return s.startsWith(prefix);
            }
            return s.charAt(prefix.length()) == '/' && s.startsWith(prefix);
        }
        return false;
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
