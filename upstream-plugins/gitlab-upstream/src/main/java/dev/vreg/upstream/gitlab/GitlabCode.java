package dev.vreg.upstream.gitlab;

import static dev.vreg.upstream.gitlab.GitlabApi.segment;

import dev.vreg.go.module.Module;
import dev.vreg.go.module.PseudoVersion;
import dev.vreg.go.module.Semver;
import dev.vreg.spi.ErrorKind;
import dev.vreg.spi.VregException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One project's repository as the go command's code host sees it, read through the REST API: tags, commits, files at
 * a revision, ancestry, and archives of a revision's directory.
 */
final class GitlabCode {

    /** A tag with the commit it points at (annotated tags peeled). */
    record Tag(String name, String commit, Instant time) {
    }

    /** A commit: its full hash and its committer time in whole seconds. */
    record Commit(String id, Instant time) {

        /** The go command's short name of a git revision: the first 12 hex digits. */
        String shortName() {
            return id.substring(0, Math.min(12, id.length()));
        }
    }

    private static final int PER_PAGE = 100;
    private static final int MAX_PAGES = 200;
    private static final long MAX_JSON = 32L << 20;

    /** The largest file kept in the memo; larger ones are read each time. */
    private static final long MAX_MEMO_FILE = 40 << 10;

    private final GitlabApi api;
    private final GitlabProjectRef project;
    private final ReadMemo memo;
    private final String base;
    private List<Tag> allTags;

    GitlabCode(GitlabApi api, GitlabProjectRef project, ReadMemo memo) {
        this.api = api;
        this.project = project;
        this.memo = memo;
        this.base = "/projects/" + project.id() + "/repository";
    }

    GitlabProjectRef project() {
        return project;
    }

    /** Every tag of the repository, read through all pages once per instance and kept for a short while. */
    Future<List<Tag>> tags() {
        if (allTags != null) {
            return Future.succeededFuture(allTags);
        }
        return memo.<List<Tag>>get("tags " + project.id(), tags -> ReadMemo.MUTABLE, () -> {
            List<Tag> tags = new ArrayList<>();
            return tagPage(1, tags).map(v -> List.copyOf(tags));
        }).onSuccess(tags -> allTags = tags);
    }

    private Future<Void> tagPage(int page, List<Tag> into) {
        String what = "the tags of project " + project.path();
        return api.get(base + "/tags?per_page=" + PER_PAGE + "&page=" + page + "&order_by=name&sort=asc", MAX_JSON,
                what).compose(answer -> {
                    JsonArray array = new JsonArray(answer.body());
                    for (int i = 0; i < array.size(); i++) {
                        JsonObject tag = array.getJsonObject(i);
                        JsonObject commit = tag.getJsonObject("commit");
                        if (commit == null) {
                            continue;
                        }
                        into.add(new Tag(tag.getString("name"), commit.getString("id"), time(commit)));
                    }
                    String next = answer.headers().get("X-Next-Page");
                    if (next == null || next.isBlank() || array.isEmpty()) {
                        return Future.succeededFuture();
                    }
                    if (page >= MAX_PAGES) {
                        return Future.failedFuture(new VregException(ErrorKind.UPSTREAM_INVALID, "project "
                                + project.path() + " has more than " + (PER_PAGE * MAX_PAGES) + " tags"));
                    }
                    return tagPage(page + 1, into);
                });
    }

    /** The commit a revision (hash, short hash, branch or tag) names; empty when there is none. */
    Future<Optional<Commit>> commit(String rev) {
        return memo.get("commit " + project.id() + " " + rev,
                found -> found.isPresent() && fixed(rev) ? ReadMemo.IMMUTABLE : ReadMemo.MUTABLE, () -> readCommit(rev));
    }

    private Future<Optional<Commit>> readCommit(String rev) {
        return api.get(base + "/commits/" + segment(rev), MAX_JSON, "commit " + rev + " of project " + project.path())
                .map(answer -> Optional.of(new Commit(answer.json().getString("id"), time(answer.json()))))
                .recover(e -> VregException.is(e, ErrorKind.NOT_FOUND)
                        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
    }

    /** The content of {@code path} at commit {@code rev}, or empty when there is no such file. */
    Future<Optional<Buffer>> readFile(String rev, String path, long maxBytes) {
        return memo.get("file " + project.id() + " " + maxBytes + " " + rev + " " + path,
                found -> found.isPresent() && found.get().length() > MAX_MEMO_FILE ? java.time.Duration.ZERO
                        : isHash(rev) ? ReadMemo.IMMUTABLE : ReadMemo.MUTABLE,
                () -> readRaw(rev, path, maxBytes));
    }

    /**
     * Whether the commit {@code rev} names, once seen, may be kept long: a full commit hash, or a release version's
     * tag ({@code v1.2.3}, {@code sub/v1.2.3}), which the go command and its checksum database treat as fixed.
     */
    static boolean fixed(String rev) {
        if (isHash(rev)) {
            return true;
        }
        String v = rev.substring(rev.lastIndexOf('/') + 1);
        return v.equals(Module.canonicalVersion(v)) && Semver.isValid(v) && !PseudoVersion.isPseudo(v);
    }

    static boolean isHash(String rev) {
        return rev.length() == 40 && rev.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private Future<Optional<Buffer>> readRaw(String rev, String path, long maxBytes) {
        // GitLab's documented form encodes the dots of a file path too, so that no extension is read as a format.
        return api.get(base + "/files/" + segment(path).replace(".", "%2E") + "/raw?ref=" + segment(rev), maxBytes,
                        path + " at " + rev + " of project " + project.path())
                .map(answer -> Optional.of(answer.body()))
                .recover(e -> VregException.is(e, ErrorKind.NOT_FOUND)
                        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
    }

    /** Whether {@code ancestor} is {@code commit} or one of its ancestors (their merge base is the ancestor). */
    Future<Boolean> descendsFrom(String commit, String ancestor) {
        if (commit.equals(ancestor)) {
            return Future.succeededFuture(true);
        }
        return api.get(base + "/merge_base?refs%5B%5D=" + segment(commit) + "&refs%5B%5D=" + segment(ancestor),
                        MAX_JSON, "the merge base of " + commit + " and " + ancestor)
                .map(answer -> ancestor.equals(answer.json().getString("id")))
                .recover(e -> VregException.is(e, ErrorKind.NOT_FOUND)
                        ? Future.succeededFuture(false) : Future.failedFuture(e));
    }

    /** Downloads the zip archive of {@code dir} (empty for the whole tree) at commit {@code rev} into {@code file}. */
    Future<Long> archive(String rev, String dir, String file, long maxBytes) {
        String query = "?sha=" + segment(rev) + (dir.isEmpty() ? "" : "&path=" + segment(dir));
        return api.download(base + "/archive.zip" + query, file, maxBytes,
                "the archive of " + (dir.isEmpty() ? "" : dir + " at ") + rev + " of project " + project.path());
    }

    private static Instant time(JsonObject commit) {
        String date = commit.getString("committed_date", commit.getString("created_at"));
        if (date == null) {
            throw new VregException(ErrorKind.UPSTREAM_INVALID, "GitLab sent a commit without a date");
        }
        return OffsetDateTime.parse(date).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
