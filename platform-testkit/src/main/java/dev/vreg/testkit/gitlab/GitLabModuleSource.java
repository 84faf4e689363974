package dev.vreg.testkit.gitlab;

import dev.vreg.spi.Credentials;
import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.upstream.ModuleSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link GitLabStandIn} as a {@link ModuleSource}: each published module is a project whose commits hold the
 * versions' files, tagged with their versions and dated with their times, so the GitLab upstream has to make every
 * answer from git. Module paths are {@code git.example.test/<group>/<project>}; the project is public until
 * {@link #requireCredentials} makes it private to the personal access token the source was started with.
 */
public final class GitLabModuleSource implements ModuleSource {

    private final GitLabStandIn standIn = GitLabStandIn.start();
    private final Path root;
    private final Map<String, GitLabProject> projects = new HashMap<>();
    private final Map<String, String> published = new HashMap<>();

    private GitLabModuleSource(String token) {
        try {
            root = Files.createTempDirectory("gitlab-modules");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        standIn.personalToken(token, Set.of("read_api"), "");
    }

    /** Starts a stand-in that accepts {@code token} as a personal access token with the read_api scope. */
    public static GitLabModuleSource start(String token) {
        return new GitLabModuleSource(token);
    }

    /** The stand-in behind this source. */
    public GitLabStandIn standIn() {
        return standIn;
    }

    @Override
    public URI baseUrl() {
        return standIn.baseUrl();
    }

    @Override
    public synchronized GitLabModuleSource publish(GoModule... versions) {
        String modulePath = versions[0].path();
        String prefix = GitLabStandIn.MODULE_HOST + "/";
        if (!modulePath.startsWith(prefix)) {
            throw new IllegalArgumentException("GitLab module paths start with " + prefix + ": " + modulePath);
        }
        String projectPath = modulePath.substring(prefix.length());
        StringBuilder key = new StringBuilder();
        for (GoModule v : versions) {
            key.append(v.version()).append(' ').append(v.zipHash()).append('\n');
        }
        if (key.toString().equals(published.get(projectPath))) {
            // Git commits take time; the same versions are the same repository.
            return this;
        }
        GitRepository repository = GitRepository.init(root.resolve(projectPath.replace('/', '_') + "-"
                + published.size()));
        for (GoModule version : versions) {
            for (Map.Entry<String, FileContent> file : version.files().entrySet()) {
                repository.write(file.getKey(), bytes(file.getValue()));
            }
            repository.commitAt("release " + version.version(), version.time());
            repository.tag(version.version());
        }
        projects.put(projectPath, standIn.project(projectPath, repository, true));
        published.put(projectPath, key.toString());
        return this;
    }

    @Override
    public synchronized void requireCredentials(Credentials credentials) {
        if (!credentials.hasToken()) {
            throw new IllegalArgumentException("the GitLab module source knows its personal access token only");
        }
        standIn.personalToken(credentials.token(), Set.of("read_api"), "");
        projects.keySet().forEach(path -> standIn.visibility(path, false));
    }

    @Override
    public void answerEverythingWith(int status) {
        standIn.answerEverythingWith(status);
    }

    @Override
    public synchronized void reset() {
        standIn.answerEverythingWith(0);
        projects.keySet().forEach(path -> standIn.visibility(path, true));
    }

    @Override
    public void close() {
        standIn.close();
    }

    private static byte[] bytes(FileContent content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            content.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
