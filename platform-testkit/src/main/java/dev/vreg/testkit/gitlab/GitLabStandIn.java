package dev.vreg.testkit.gitlab;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A GitLab REST API v4 stand-in on 127.0.0.1, serving real git repositories:
 * <ul>
 *   <li>{@code GET /api/v4/version};
 *   <li>{@code GET /api/v4/projects/:id} by numeric id or URL-encoded path;
 *   <li>{@code GET /api/v4/projects/:id/repository/tags} (paginated, {@code search=^prefix}, {@code order_by});
 *   <li>{@code GET /api/v4/projects/:id/repository/commits/:sha} for a hash, short hash, branch or tag;
 *   <li>{@code GET /api/v4/projects/:id/repository/merge_base?refs[]=a&refs[]=b};
 *   <li>{@code GET /api/v4/projects/:id/repository/files/:file_path/raw?ref=};
 *   <li>{@code GET /api/v4/projects/:id/repository/archive.zip?sha=&path=}, made by {@code git archive}.
 * </ul>
 * Errors have GitLab's JSON bodies ({@code {"message":"404 Project Not Found"}}, {@code {"message":"401
 * Unauthorized"}}, {@code {"error":"insufficient_scope",...}}). It also answers the {@code ?go-get=1} pages GitLab
 * serves, and the same pages for requests sent to it as an HTTP proxy, so that the real go command with
 * {@code GOPROXY=direct}, {@link #goEnvironment} and {@link #writeGitConfig} fetches the very repositories the API
 * serves, from disk, without any network.
 */
public final class GitLabStandIn implements AutoCloseable {

    /** The GitLab version {@code /api/v4/version} reports. */
    public static final String VERSION = "17.6.1-ee";

    /** The host of the module paths of the stand-in's projects, e.g. {@code git.example.test/group/proj}. */
    public static final String MODULE_HOST = "git.example.test";

    private final HttpServer server;
    private final ExecutorService executor;
    private final GitLabAccess access = new GitLabAccess();
    private final Map<String, GitLabProject> projects = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> credentialHeaders = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> movedFrom = new ConcurrentHashMap<>();
    private final Map<String, URI> redirects = new ConcurrentHashMap<>();
    private volatile int everything;
    private int nextId = 100;

    private GitLabStandIn(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the stand-in on a free port of 127.0.0.1. */
    public static GitLabStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "gitlab-stand-in");
                t.setDaemon(true);
                return t;
            });
            GitLabStandIn standIn = new GitLabStandIn(server, executor);
            server.createContext("/", new GitLabApiHandler(standIn));
            server.setExecutor(executor);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the GitLab stand-in", e);
        }
    }

    /** The base URL, {@code http://127.0.0.1:<port>}; the API is under {@code /api/v4}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code repository} as the project {@code path} (e.g. {@code group/proj}); private unless {@code public}. */
    public synchronized GitLabProject project(String path, GitRepository repository, boolean isPublic) {
        GitLabProject project = new GitLabProject(nextId++, path, repository, isPublic);
        projects.put(path, project);
        return project;
    }

    /**
     * Renames or transfers the project at {@code from} to {@code to}, as GitLab does: same id and repository, and the
     * old path stays a redirect route, so API requests naming it answer {@code 301 Moved Permanently} with the
     * project's id in {@code Location} (to callers who may read the project; others get 404).
     */
    public synchronized GitLabProject move(String from, String to) {
        GitLabProject old = projects.remove(from);
        if (old == null) {
            throw new IllegalArgumentException("no project at " + from);
        }
        GitLabProject moved = new GitLabProject(old.id(), to, old.repository(), old.isPublic());
        projects.put(to, moved);
        movedFrom.put(from, old.id());
        return moved;
    }

    /** Makes the project at {@code path} public or private, keeping its id. */
    public synchronized GitLabProject visibility(String path, boolean isPublic) {
        GitLabProject old = projects.get(path);
        if (old == null) {
            throw new IllegalArgumentException("no project at " + path);
        }
        GitLabProject changed = new GitLabProject(old.id(), path, old.repository(), isPublic);
        projects.put(path, changed);
        return changed;
    }

    /** Answers API requests naming the project path {@code path} with a 301 to {@code location}, wherever it is. */
    public GitLabStandIn redirect(String path, URI location) {
        redirects.put(path, location);
        return this;
    }

    /** Answers every API request with {@code status} and GitLab's error body; 0 answers normally again. */
    public GitLabStandIn answerEverythingWith(int status) {
        everything = status;
        return this;
    }

    /** A personal access token with {@code scopes}, of a user who is a member of {@code namespaces} ("" = all). */
    public GitLabStandIn personalToken(String secret, Set<String> scopes, String... namespaces) {
        access.add(new GitLabAccess.Token("personal", null, secret, scopes, List.of(namespaces)));
        return this;
    }

    /** A group access token: reads every project of {@code group} and its subgroups. */
    public GitLabStandIn groupToken(String secret, String group) {
        access.add(new GitLabAccess.Token("group", null, secret, Set.of("read_api"), List.of(group)));
        return this;
    }

    /** A deploy token of one project, sent as Basic {@code username:secret}. */
    public GitLabStandIn deployToken(String username, String secret, String project) {
        access.add(new GitLabAccess.Token("deploy", username, secret, Set.of("read_repository"), List.of(project)));
        return this;
    }

    /** Every request so far, as {@code METHOD raw-path[?query]}. */
    public List<String> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    /** How many requests so far had a path starting with {@code prefix}. */
    public long requestCount(String prefix) {
        return requests.stream().filter(r -> r.substring(r.indexOf(' ') + 1).startsWith(prefix)).count();
    }

    /** The names of the credential headers requests carried ({@code PRIVATE-TOKEN}, {@code Authorization: Basic}...). */
    public List<String> credentialHeaders() {
        return Collections.unmodifiableList(new ArrayList<>(credentialHeaders));
    }

    /**
     * Writes a git configuration that sends the go command's clones of every project to its repository on disk:
     * {@code url.<file URL>.insteadOf https://git.example.test/<project>.git}. Point {@code GIT_CONFIG_GLOBAL} at it.
     */
    public Path writeGitConfig(Path file) {
        StringBuilder out = new StringBuilder();
        for (GitLabProject p : projects.values()) {
            out.append("[url \"").append(p.repository().dir().toUri()).append("\"]\n")
                    .append("\tinsteadOf = https://").append(MODULE_HOST).append('/').append(p.path()).append(".git\n");
        }
        out.append("[protocol \"file\"]\n\tallow = always\n");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The environment that lets the go command fetch {@code git.example.test/...} modules directly from this
     * stand-in's repositories: the go-import page through the stand-in as HTTP proxy (https is refused, so go falls
     * back to http as {@code GOINSECURE} allows), git redirected to disk by {@code gitConfig}.
     */
    public Map<String, String> goEnvironment(Path gitConfig) {
        String proxy = baseUrl().toString();
        return Map.of("GOPROXY", "direct", "GOPRIVATE", MODULE_HOST, "GOINSECURE", MODULE_HOST,
                "GONOSUMDB", MODULE_HOST, "HTTP_PROXY", proxy, "HTTPS_PROXY", proxy, "NO_PROXY", "",
                "GIT_CONFIG_GLOBAL", gitConfig.toString(), "GIT_CONFIG_NOSYSTEM", "1", "GIT_TERMINAL_PROMPT", "0");
    }

    /** The project id a moved path redirects to, if {@code path} is the old path of a moved project. */
    Optional<Integer> movedFrom(String path) {
        return Optional.ofNullable(movedFrom.get(path));
    }

    Optional<URI> redirectOf(String path) {
        return Optional.ofNullable(redirects.get(path));
    }

    int everything() {
        return everything;
    }

    GitLabAccess access() {
        return access;
    }

    Optional<GitLabProject> findProject(String idOrPath) {
        GitLabProject byPath = projects.get(idOrPath);
        if (byPath != null) {
            return Optional.of(byPath);
        }
        return projects.values().stream().filter(p -> String.valueOf(p.id()).equals(idOrPath)).findFirst();
    }

    /** The project whose path is the longest prefix of {@code path}, for go-import pages. */
    Optional<GitLabProject> projectContaining(String path) {
        GitLabProject best = null;
        for (GitLabProject p : projects.values()) {
            if ((path.equals(p.path()) || path.startsWith(p.path() + "/"))
                    && (best == null || p.path().length() > best.path().length())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    void logRequest(String line, String credentialHeader) {
        requests.add(line);
        if (credentialHeader != null) {
            credentialHeaders.add(credentialHeader);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
