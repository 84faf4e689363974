package dev.vreg.bench;

import dev.vreg.testkit.gitlab.GitLabStandIn;
import dev.vreg.testkit.gitlab.GitRepository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go modules in real git repositories, served by the GitLab stand-in of platform-testkit: through its REST API v4 to
 * vreg's GitLab upstream, and through its {@code go-import} pages and the repositories on disk to the go command's
 * own direct fetch. The modules are spread over {@code projects} public projects {@code bench/p<k>}, each module in
 * a directory of its own ({@code git.example.test/bench/p0/m007} lives in {@code m007/} of project {@code bench/p0}
 * and is tagged {@code m007/v1.<round>.0}). Module {@code i} requires modules {@code 2i+1} and {@code 2i+2}, as in
 * the graph of {@link Fixture}, so the go command walks requirements as it does in a real build.
 */
final class GitLabFixture implements AutoCloseable {

    /** A module version the fixture published. */
    record ModuleVersion(String path, String version) {
        @Override
        public String toString() {
            return path + "@" + version;
        }
    }

    private final GitLabStandIn gitlab;
    private final List<GitRepository> repositories = new ArrayList<>();
    private final int modules;
    private final Path gitConfig;

    private GitLabFixture(GitLabStandIn gitlab, int modules, Path gitConfig) {
        this.gitlab = gitlab;
        this.modules = modules;
        this.gitConfig = gitConfig;
    }

    /** Starts the stand-in with {@code projects} empty public projects for {@code modules} modules. */
    static GitLabFixture start(Path dir, int modules, int projects) {
        if (modules < 1 || projects < 1 || projects > modules) {
            throw new IllegalArgumentException("need 1 <= projects <= modules, got " + projects + " and " + modules);
        }
        GitLabStandIn gitlab = GitLabStandIn.start();
        GitLabFixture fixture = new GitLabFixture(gitlab, modules, dir.resolve("gitconfig"));
        for (int k = 0; k < projects; k++) {
            GitRepository repository = GitRepository.init(dir.resolve("repos").resolve("p" + k));
            repository.write("LICENSE", "MIT\n").commit("start");
            gitlab.project(project(k), repository, true);
            fixture.repositories.add(repository);
        }
        gitlab.writeGitConfig(fixture.gitConfig);
        return fixture;
    }

    /**
     * Commits version {@code v1.<round>.0} of every module, one commit per project, and tags it; answers the module
     * versions in module order.
     */
    List<ModuleVersion> publish(int round) {
        String version = "v1." + round + ".0";
        List<ModuleVersion> published = new ArrayList<>();
        for (int i = 0; i < modules; i++) {
            StringBuilder goMod = new StringBuilder("module " + path(i) + "\n\ngo 1.21\n");
            if (2 * i + 1 < modules) {
                goMod.append("\nrequire (\n");
                for (int child = 2 * i + 1; child <= 2 * i + 2 && child < modules; child++) {
                    goMod.append('\t').append(path(child)).append(' ').append(version).append('\n');
                }
                goMod.append(")\n");
            }
            repositories.get(projectOf(i)).write(dir(i) + "/go.mod", goMod.toString())
                    .write(dir(i) + "/" + dir(i) + ".go", "package " + dir(i) + "\n\n// Round is the round of this"
                            + " version.\nconst Round = " + round + "\n");
            published.add(new ModuleVersion(path(i), version));
        }
        for (int k = 0; k < repositories.size(); k++) {
            repositories.get(k).commit("round " + round);
        }
        for (int i = 0; i < modules; i++) {
            repositories.get(projectOf(i)).tag(dir(i) + "/" + version);
        }
        return published;
    }

    /** The module path prefix of every module, {@code git.example.test/bench}. */
    static String prefix() {
        return GitLabStandIn.MODULE_HOST + "/bench";
    }

    /** The stand-in's address, the {@code url} of a GitLab upstream. */
    String url() {
        return gitlab.baseUrl().toString();
    }

    /** The environment of the go command's direct fetch from the repositories ({@code GOPROXY=direct}, ...). */
    Map<String, String> directEnvironment() {
        return gitlab.goEnvironment(gitConfig);
    }

    /** How many requests to GitLab's REST API the stand-in has answered so far. */
    long apiRequests() {
        return gitlab.requestCount("/api/v4/");
    }

    /**
     * The API requests answered so far by what they asked for: {@code project} for a project lookup, else the
     * repository resource ({@code tags}, {@code commits}, {@code files}, {@code archive.zip}, ...).
     */
    Map<String, Long> apiRequestsByKind() {
        Map<String, Long> kinds = new TreeMap<>();
        for (String request : gitlab.requests()) {
            String path = request.substring(request.indexOf(' ') + 1).split("\\?", 2)[0];
            if (!path.startsWith("/api/v4/projects/")) {
                continue;
            }
            String[] segments = path.substring("/api/v4/projects/".length()).split("/");
            String kind = segments.length >= 3 && segments[1].equals("repository") ? segments[2] : "project";
            kinds.merge(kind, 1L, Long::sum);
        }
        return kinds;
    }

    int modules() {
        return modules;
    }

    int projects() {
        return repositories.size();
    }

    private int projectOf(int module) {
        return module % repositories.size();
    }

    private String path(int module) {
        return prefix() + "/p" + projectOf(module) + "/" + dir(module);
    }

    private static String dir(int module) {
        return String.format("m%03d", module);
    }

    private static String project(int k) {
        return "bench/p" + k;
    }

    @Override
    public void close() {
        gitlab.close();
    }
}
