package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabApi.segment;

import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the GitLab project that holds a module, as the go command finds the repository behind an import path: the
 * module path is matched against the module path hints, longest prefix first, and below the matching one the
 * longest path that names a project wins ({@code group/proj/sub/v2}, then {@code group/proj/sub}, then
 * {@code group/proj}). What is left of the module path is the module's directory and major version suffix. Found
 * projects are remembered for a minute, so the requests of one {@code go get} look a project up once.
 */
final class ProjectLocator {

    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_LOOKUPS = 8;

    private record Remembered(GitlabProjectRef project, Instant until) {
    }

    private final GitlabApi api;
    private final List<ModulePathHint> hints;
    private final Clock clock;
    private final Map<String, Remembered> found = new ConcurrentHashMap<>();

    ProjectLocator(GitlabApi api, List<ModulePathHint> hints, Clock clock) {
        this.api = api;
        this.hints = hints;
        this.clock = clock;
    }

    /** The project of {@code modulePath}; fails NOT_FOUND when no hint admits it or no candidate is a project. */
    Future<GitlabProjectRef> locate(String modulePath) {
        Remembered r = found.get(modulePath);
        if (r != null && clock.instant().isBefore(r.until())) {
            return Future.succeededFuture(r.project());
        }
        for (ModulePathHint hint : hints) {
            Optional<String> rest = hint.remainder(modulePath);
            if (rest.isPresent()) {
                List<String[]> candidates = candidates(modulePath, hint, rest.get());
                if (candidates.isEmpty()) {
                    break;
                }
                return tryCandidates(modulePath, candidates, 0).onSuccess(p ->
                        found.put(modulePath, new Remembered(p, clock.instant().plus(REMEMBER))));
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
        return api.get("/projects/" + segment(c[0]), 1 << 20, "project " + c[0])
                .map(answer -> project(answer.json(), c[1]))
                .recover(e -> VregException.is(e, ErrorKind.NOT_FOUND)
                        ? tryCandidates(modulePath, candidates, i + 1) : Future.failedFuture(e));
    }

    private static GitlabProjectRef project(JsonObject json, String codeRoot) {
        Long id = json.getLong("id");
        if (id == null) {
            throw new VregException(ErrorKind.UPSTREAM_INVALID, "GitLab sent a project without an id");
        }
        return new GitlabProjectRef(id, json.getString("path_with_namespace", ""), codeRoot,
                json.getString("default_branch"));
    }

    private String prefixes() {
        return String.join(", ", hints.stream().map(ModulePathHint::prefix).toList());
    }
}
