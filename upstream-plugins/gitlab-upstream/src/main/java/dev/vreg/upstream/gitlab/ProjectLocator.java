package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabApi.segment;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the GitLab project that holds a module, as the go command finds the repository behind an import path: the
 * module path is matched against the module path hints, longest prefix first, and below the matching one the
 * longest path that names a project wins ({@code group/proj/sub/v2}, then {@code group/proj/sub}, then
 * {@code group/proj}). What is left of the module path is the module's directory and major version suffix. Found
 * projects are remembered for a minute and paths that are no project for a shorter while, so the requests of one
 * {@code go get} look a project up once. As GitLab gives a group and a project never the same path, no project lies
 * below a project: once {@code group/proj} is known to be one, {@code group/proj/sub} is not looked up.
 */
final class ProjectLocator {

    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_LOOKUPS = 8;

    /** What GitLab says of a project, whichever module path led to it. */
    private record Found(long id, String path, String defaultBranch) {
    }

    private final GitlabApi api;
    private final List<ModulePathHint> hints;
    private final ReadMemo memo;

    ProjectLocator(GitlabApi api, List<ModulePathHint> hints, ReadMemo memo) {
        this.api = api;
        this.hints = hints;
        this.memo = memo;
    }

    /** The project of {@code modulePath}; fails NOT_FOUND when no hint admits it or no candidate is a project. */
    Future<GitlabProjectRef> locate(String modulePath) {
        for (ModulePathHint hint : hints) {
            Optional<String> rest = hint.remainder(modulePath);
            if (rest.isPresent()) {
                List<String[]> candidates = candidates(modulePath, hint, rest.get());
                if (candidates.isEmpty()) {
                    break;
                }
                return tryCandidates(modulePath, candidates, knownProject(candidates));
            }
        }
        return Future.failedFuture(VregException.notFound("module " + modulePath
                + " is not under any module path of this GitLab upstream (" + prefixes() + ")"));
    }

    /** Pairs of (project path, module path of the project root), longest first. */
    private static List<String[]> candidates(String modulePath, ModulePathHint hint, String rest) {
        List<String[]> out = new ArrayList<>();
        String[] elems = rest.isEmpty() ? new String[0] : rest.split("/");
        for (int n = elems.length; n >= 0 && out.size() < MAX_LOOKUPS; n--) {
            String sub = String.join("/", java.util.Arrays.copyOf(elems, n));
            String projectPath = hint.projectPath(sub);
            // Every GitLab project lives in a namespace: a path of one element names a group or user, never a project.
            if (projectPath.indexOf('/') < 0) {
                break;
            }
            String codeRoot = sub.isEmpty() ? hint.prefix() : hint.prefix().replaceAll("/+$", "") + "/" + sub;
            out.add(new String[] {projectPath, codeRoot});
        }
        return out;
    }

    private Future<GitlabProjectRef> tryCandidates(String modulePath, List<String[]> candidates, int i) {
        if (i == candidates.size()) {
            return Future.failedFuture(VregException.notFound("no GitLab project at " + api.display() + " holds module "
                    + modulePath + " (tried " + String.join(", ", candidates.stream().map(c -> c[0]).toList())
                    + "); a private project needs a token that can read it"));
        }
        String[] c = candidates.get(i);
        return project(c[0]).compose(found -> found.isPresent()
                ? Future.succeededFuture(new GitlabProjectRef(found.get().id(), found.get().path(), c[1],
                        found.get().defaultBranch()))
                : tryCandidates(modulePath, candidates, i + 1));
    }

    /** The index of the longest candidate known to be a project, or 0 when none is known. */
    private int knownProject(List<String[]> candidates) {
        for (int i = 0; i < candidates.size(); i++) {
            Optional<Found> known = memo.peek(key(candidates.get(i)[0]));
            if (known != null && known.isPresent()) {
                return i;
            }
        }
        return 0;
    }

    private static String key(String projectPath) {
        return "project " + projectPath;
    }

    /** The project at {@code projectPath}, or empty when GitLab has none there. */
    private Future<Optional<Found>> project(String projectPath) {
        return memo.get(key(projectPath), found -> found.isPresent() ? REMEMBER : ReadMemo.MUTABLE,
                () -> api.get("/projects/" + segment(projectPath), 1 << 20, "project " + projectPath)
                        .map(answer -> Optional.of(found(answer.json())))
                        .recover(e -> VregException.is(e, ErrorKind.NOT_FOUND)
                                ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e)));
    }

    private static Found found(JsonObject json) {
        Long id = json.getLong("id");
        if (id == null) {
            throw new VregException(ErrorKind.UPSTREAM_INVALID, "GitLab sent a project without an id");
        }
        return new Found(id, json.getString("path_with_namespace", ""), json.getString("default_branch"));
    }

    private String prefixes() {
        return String.join(", ", hints.stream().map(ModulePathHint::prefix).toList());
    }
}
