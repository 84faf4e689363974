package dev.vreg.testkit.gitlab;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a project's repository with git plumbing and shapes the answers as GitLab's JSON. */
final class GitQueries {

    private static final DateTimeFormatter GITLAB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    private final GitLabProject project;
    private final GitRepository repo;

    GitQueries(GitLabProject project) {
        this.project = project;
        this.repo = project.repository();
    }

    String defaultBranch() {
        byte[] head = repo.tryGit("symbolic-ref", "--short", "HEAD");
        return head == null ? "main" : new String(head, StandardCharsets.UTF_8).trim();
    }

    /** The commit a hash (full or abbreviated), branch or tag names. */
    Optional<String> resolve(String ref) {
        if (ref == null || ref.isEmpty() || ref.startsWith("-") || ref.contains("..")) {
            return Optional.empty();
        }
        byte[] out = repo.tryGit("rev-parse", "--verify", "--quiet", ref + "^{commit}");
        return out == null ? Optional.empty() : Optional.of(new String(out, StandardCharsets.UTF_8).trim());
    }

    Optional<Map<String, Object>> commit(String ref) {
        return resolve(ref).map(this::commitJson);
    }

    /** A commit as {@code GET /repository/commits/:sha} shows it: with its diff stats and pipeline status. */
    Optional<Map<String, Object>> singleCommit(String ref) {
        return resolve(ref).map(sha -> {
            Map<String, Object> c = commitJson(sha);
            long added = 0;
            long deleted = 0;
            for (String line : repo.git("show", "--numstat", "--format=", sha).split("\n")) {
                String[] f = line.split("\t");
                if (f.length >= 2 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                    added += Long.parseLong(f[0]);
                    deleted += Long.parseLong(f[1]);
                }
            }
            c.put("stats", Map.of("additions", added, "deletions", deleted, "total", added + deleted));
            c.put("last_pipeline", null);
            c.put("status", null);
            return c;
        });
    }

    Optional<Map<String, Object>> mergeBase(List<String> refs) {
        List<String> args = new ArrayList<>(List.of("merge-base"));
        for (String ref : refs) {
            Optional<String> sha = resolve(ref);
            if (sha.isEmpty()) {
                return Optional.empty();
            }
            args.add(sha.get());
        }
        byte[] out = repo.tryGit(args.toArray(String[]::new));
        return out == null ? Optional.empty() : Optional.of(commitJson(new String(out, StandardCharsets.UTF_8).trim()));
    }

    /** The content of {@code path} at {@code ref}, or null when the ref or the file (a blob) is not there. */
    byte[] file(String ref, String path) {
        Optional<String> sha = resolve(ref);
        if (sha.isEmpty() || path.isEmpty() || path.startsWith("/")) {
            return null;
        }
        String object = sha.get() + ":" + path;
        byte[] type = repo.tryGit("cat-file", "-t", object);
        if (type == null || !new String(type, StandardCharsets.UTF_8).trim().equals("blob")) {
            return null;
        }
        return repo.tryGit("cat-file", "blob", object);
    }

    /** The tags, filtered by GitLab's {@code search} ({@code ^prefix}, {@code suffix$} or a substring) and ordered. */
    List<Map<String, Object>> tags(String search, String orderBy, String sort) {
        String out = repo.git("for-each-ref", "refs/tags",
                "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(contents:subject)");
        List<Map<String, Object>> tags = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\0", -1);
            String name = f[0];
            if (!matches(name, search)) {
                continue;
            }
            boolean annotated = !f[2].isEmpty();
            String commit = annotated ? f[2] : f[1];
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("name", name);
            tag.put("message", annotated ? f[3] : "");
            tag.put("target", f[1]);
            tag.put("commit", commitJson(commit));
            tag.put("release", null);
            tag.put("protected", false);
            tag.put("created_at", null);
            tags.add(tag);
        }
        Comparator<Map<String, Object>> order = "name".equals(orderBy) || "version".equals(orderBy)
                ? Comparator.comparing(t -> (String) t.get("name"))
                : Comparator.comparing(t -> (String) ((Map<?, ?>) t.get("commit")).get("committed_date"));
        tags.sort("asc".equals(sort) ? order : order.reversed());
        return tags;
    }

    private static boolean matches(String name, String search) {
        if (search == null || search.isEmpty()) {
            return true;
        }
        if (search.startsWith("^")) {
            return name.startsWith(search.substring(1));
        }
        if (search.endsWith("$")) {
            return name.endsWith(search.substring(0, search.length() - 1));
        }
        return name.contains(search);
    }

    private Map<String, Object> commitJson(String sha) {
        String out = repo.git("log", "-1", "--format=%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%s%x00%B",
                sha);
        String[] f = out.split("\0", -1);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", f[0]);
        c.put("short_id", f[0].substring(0, 8));
        c.put("created_at", time(f[7]));
        c.put("parent_ids", f[1].isBlank() ? List.of() : Arrays.asList(f[1].trim().split(" ")));
        c.put("title", f[8]);
        c.put("message", f[9]);
        c.put("author_name", f[2]);
        c.put("author_email", f[3]);
        c.put("authored_date", time(f[4]));
        c.put("committer_name", f[5]);
        c.put("committer_email", f[6]);
        c.put("committed_date", time(f[7]));
        c.put("trailers", Map.of());
        c.put("extended_trailers", Map.of());
        c.put("web_url", "https://" + GitLabStandIn.MODULE_HOST + "/" + project.path() + "/-/commit/" + f[0]);
        return c;
    }

    private static String time(String epochSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(Long.parseLong(epochSeconds.trim())), ZoneOffset.UTC)
                .format(GITLAB_TIME);
    }
}
