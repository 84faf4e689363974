package dev.vreg.testkit.gitlab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Routes the stand-in's requests; see {@link GitLabStandIn} for what it serves. */
final class GitLabApiHandler implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v4";

    private final GitLabStandIn standIn;

    GitLabApiHandler(GitLabStandIn standIn) {
        this.standIn = standIn;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
            String query = uri.getRawQuery();
            standIn.logRequest(exchange.getRequestMethod() + " " + rawPath + (query == null ? "" : "?" + query),
                    credentialHeader(exchange));
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                // Includes CONNECT: the go command then falls back to plain http for GOINSECURE hosts.
                send(exchange, 405, "application/json", json(Map.of("error", "405 Method Not Allowed")));
                return;
            }
            Map<String, List<String>> params = parseQuery(query);
            boolean proxied = uri.getHost() != null && !uri.getHost().equals("127.0.0.1");
            if (proxied || params.containsKey("go-get")) {
                goImport(exchange, rawPath);
                return;
            }
            if (!rawPath.startsWith(API + "/")) {
                send(exchange, 404, "application/json", json(Map.of("error", "404 Not Found")));
                return;
            }
            int status = standIn.everything();
            if (status != 0) {
                send(exchange, status, "application/json", json(Map.of("message", status + " Error")));
                return;
            }
            api(exchange, rawPath.substring(API.length() + 1), query, params);
        } catch (RuntimeException e) {
            send(exchange, 500, "application/json", json(Map.of("message", "500 Internal Server Error")));
        }
    }

    private void api(HttpExchange exchange, String rest, String query, Map<String, List<String>> params)
            throws IOException {
        GitLabAccess.Caller caller = standIn.access().identify(exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN"),
                exchange.getRequestHeaders().getFirst("Authorization"));
        if (caller.rejected()) {
            send(exchange, 401, "application/json", json(Map.of("message", "401 Unauthorized")));
            return;
        }
        if (caller.token() != null && !caller.token().mayUseApi()) {
            send(exchange, 403, "application/json", json(Map.of("error", "insufficient_scope",
                    "error_description", "The request requires higher privileges than provided by the access token.",
                    "scope", "api read_api")));
            return;
        }
        List<String> segments = new ArrayList<>();
        for (String s : rest.split("/", -1)) {
            segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
        }
        if (segments.size() == 1 && segments.get(0).equals("version")) {
            if (caller.token() == null) {
                send(exchange, 401, "application/json", json(Map.of("message", "401 Unauthorized")));
                return;
            }
            sendJson(exchange, Map.of("version", GitLabStandIn.VERSION, "revision", "0123456789a"));
            return;
        }
        if (segments.size() < 2 || !segments.get(0).equals("projects")) {
            send(exchange, 404, "application/json", json(Map.of("error", "404 Not Found")));
            return;
        }
        Optional<URI> elsewhere = standIn.redirectOf(segments.get(1));
        if (elsewhere.isPresent()) {
            exchange.getResponseHeaders().set("Location", elsewhere.get().toString());
            send(exchange, 301, "application/json", json(Map.of("message", "301 Moved Permanently")));
            return;
        }
        Optional<Integer> movedTo = standIn.movedFrom(segments.get(1));
        if (movedTo.isPresent() && exchange.getRequestMethod().equals("GET")) {
            Optional<GitLabProject> moved = standIn.findProject(String.valueOf(movedTo.get()));
            if (moved.isPresent() && (moved.get().isPublic()
                    || caller.token() != null && caller.token().canRead(moved.get().path()))) {
                // GitLab keeps the rest of the path and the query, and names the project by its id.
                String[] raw = rest.split("/", 3);
                String location = standIn.baseUrl() + API + "/projects/" + movedTo.get()
                        + (raw.length == 3 ? "/" + raw[2] : "") + (query == null ? "" : "?" + query);
                exchange.getResponseHeaders().set("Location", location);
                send(exchange, 301, "application/json", json(Map.of("message", "301 Moved Permanently")));
                return;
            }
        }
        Optional<GitLabProject> found = standIn.findProject(segments.get(1));
        if (found.isEmpty() || !(found.get().isPublic()
                || caller.token() != null && caller.token().canRead(found.get().path()))) {
            notFound(exchange, "Project");
            return;
        }
        GitLabProject project = found.get();
        GitQueries git = new GitQueries(project);
        List<String> tail = segments.subList(2, segments.size());
        if (tail.isEmpty()) {
            sendJson(exchange, projectJson(project, git));
            return;
        }
        if (tail.size() < 2 || !tail.get(0).equals("repository")) {
            send(exchange, 404, "application/json", json(Map.of("error", "404 Not Found")));
            return;
        }
        switch (tail.get(1)) {
            case "tags" -> tags(exchange, git, params);
            case "commits" -> {
                Optional<Map<String, Object>> commit = tail.size() == 3 ? git.singleCommit(tail.get(2))
                        : Optional.empty();
                if (commit.isEmpty()) {
                    notFound(exchange, "Commit");
                } else {
                    sendJson(exchange, commit.get());
                }
            }
            case "merge_base" -> mergeBase(exchange, git, params);
            case "files" -> {
                String ref = first(params, "ref");
                byte[] content = tail.size() == 4 && tail.get(3).equals("raw") && ref != null
                        ? git.file(ref, tail.get(2)) : null;
                if (content == null) {
                    notFound(exchange, "File");
                } else {
                    send(exchange, 200, "text/plain; charset=utf-8", content);
                }
            }
            case "archive.zip" -> archive(exchange, project, git, params);
            default -> send(exchange, 404, "application/json", json(Map.of("error", "404 Not Found")));
        }
    }

    private void tags(HttpExchange exchange, GitQueries git, Map<String, List<String>> params) throws IOException {
        List<Map<String, Object>> all = git.tags(first(params, "search"), first(params, "order_by"),
                first(params, "sort"));
        int perPage = Math.max(1, Math.min(100, intParam(params, "per_page", 20)));
        int page = Math.max(1, intParam(params, "page", 1));
        int totalPages = Math.max(1, (all.size() + perPage - 1) / perPage);
        int from = Math.min(all.size(), (page - 1) * perPage);
        List<Map<String, Object>> slice = all.subList(from, Math.min(all.size(), from + perPage));
        var headers = exchange.getResponseHeaders();
        headers.set("X-Total", String.valueOf(all.size()));
        headers.set("X-Total-Pages", String.valueOf(totalPages));
        headers.set("X-Per-Page", String.valueOf(perPage));
        headers.set("X-Page", String.valueOf(page));
        headers.set("X-Next-Page", page < totalPages ? String.valueOf(page + 1) : "");
        headers.set("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
        if (page < totalPages) {
            String self = standIn.baseUrl() + exchange.getRequestURI().getRawPath();
            headers.set("Link", "<" + self + "?page=" + (page + 1) + "&per_page=" + perPage + ">; rel=\"next\"");
        }
        sendJson(exchange, slice);
    }

    private void mergeBase(HttpExchange exchange, GitQueries git, Map<String, List<String>> params)
            throws IOException {
        List<String> refs = params.getOrDefault("refs[]", List.of());
        if (refs.size() < 2) {
            send(exchange, 400, "application/json", json(Map.of("message", "Provide at least 2 refs")));
            return;
        }
        Optional<Map<String, Object>> base = git.mergeBase(refs);
        if (base.isEmpty()) {
            send(exchange, 404, "application/json", json(Map.of("message", "404 Merge Base Not Found")));
        } else {
            sendJson(exchange, base.get());
        }
    }

    private void archive(HttpExchange exchange, GitLabProject project, GitQueries git,
                         Map<String, List<String>> params) throws IOException {
        String sha = first(params, "sha");
        Optional<String> commit = git.resolve(sha == null ? git.defaultBranch() : sha);
        if (commit.isEmpty()) {
            notFound(exchange, "Commit");
            return;
        }
        String path = first(params, "path");
        String prefix = project.name() + "-" + (sha == null ? git.defaultBranch() : sha).replace('/', '-') + "-"
                + commit.get() + (path == null || path.isEmpty() ? "" : "-" + path.replace('/', '-'));
        List<String> args = new ArrayList<>(List.of("-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive",
                "--format=zip", "--prefix=" + prefix + "/", commit.get()));
        if (path != null && !path.isEmpty()) {
            args.add("--");
            args.add(path);
        }
        Process process = project.repository().start(args.toArray(String[]::new));
        exchange.getResponseHeaders().set("Content-Type", "application/zip");
        exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + prefix + ".zip\"");
        exchange.sendResponseHeaders(200, 0);
        try (InputStream in = process.getInputStream(); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        } finally {
            process.destroy();
        }
    }

    private Map<String, Object> projectJson(GitLabProject project, GitQueries git) {
        Map<String, Object> p = new LinkedHashMap<>();
        String web = "https://" + GitLabStandIn.MODULE_HOST + "/" + project.path();
        p.put("id", project.id());
        p.put("description", null);
        p.put("name", project.name());
        p.put("name_with_namespace", project.path().replace("/", " / "));
        p.put("path", project.name());
        p.put("path_with_namespace", project.path());
        p.put("created_at", "2024-01-01T00:00:00.000Z");
        p.put("default_branch", git.defaultBranch());
        p.put("ssh_url_to_repo", "git@" + GitLabStandIn.MODULE_HOST + ":" + project.path() + ".git");
        p.put("http_url_to_repo", web + ".git");
        p.put("web_url", web);
        p.put("visibility", project.isPublic() ? "public" : "private");
        p.put("archived", false);
        p.put("empty_repo", false);
        p.put("namespace", Map.of("path", project.namespace(), "full_path", project.namespace(), "kind", "group"));
        return p;
    }

    private void goImport(HttpExchange exchange, String rawPath) throws IOException {
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8).replaceAll("^/+|/+$", "");
        Optional<GitLabProject> project = standIn.projectContaining(path);
        if (project.isEmpty()) {
            send(exchange, 404, "text/plain; charset=utf-8", "404 Not Found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String root = GitLabStandIn.MODULE_HOST + "/" + project.get().path();
        String html = "<html><head><meta name=\"go-import\" content=\"" + root + " git https://" + root
                + ".git\"></head><body>go get " + root + "</body></html>\n";
        send(exchange, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static String credentialHeader(HttpExchange exchange) {
        if (exchange.getRequestHeaders().containsKey("PRIVATE-TOKEN")) {
            return "PRIVATE-TOKEN";
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return null;
        }
        int space = authorization.indexOf(' ');
        return "Authorization: " + (space < 0 ? authorization : authorization.substring(0, space));
    }

    private static void notFound(HttpExchange exchange, String what) throws IOException {
        send(exchange, 404, "application/json", json(Map.of("message", "404 " + what + " Not Found")));
    }

    private static void sendJson(HttpExchange exchange, Object body) throws IOException {
        send(exchange, 200, "application/json", json(body));
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static int intParam(Map<String, List<String>> params, String key, int fallback) {
        try {
            String v = first(params, key);
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
