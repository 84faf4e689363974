package dev.vreg.testkit.gitlab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository on disk, built and read through the {@code git} command. Commits carry the dates a test
 * gives, so the same steps always make the same commit hashes. Nothing of the machine's git configuration takes part:
 * every command runs with {@code HOME} and the global configuration pointed away from the user's.
 */
public final class GitRepository {

    private final Path dir;
    private Instant clock = Instant.parse("2024-01-02T03:04:05Z");

    private GitRepository(Path dir) {
        this.dir = dir;
    }

    /** Creates an empty repository with its first branch named {@code main}. */
    public static GitRepository init(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GitRepository repo = new GitRepository(dir.toAbsolutePath().normalize());
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    public Path dir() {
        return dir;
    }

    /** Writes a file of the work tree (creating its directories), to be committed by {@link #commit}. */
    public GitRepository write(String path, String content) {
        return write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public GitRepository write(String path, byte[] content) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Removes a file or directory of the work tree. */
    public GitRepository delete(String path) {
        git("rm", "-r", "-q", "--", path);
        return this;
    }

    /** Commits everything in the work tree, dated one hour after the previous commit; answers the commit hash. */
    public String commit(String message) {
        clock = clock.plusSeconds(3600);
        return commitAt(message, clock);
    }

    /** Commits everything in the work tree with the given author and committer time; answers the commit hash. */
    public String commitAt(String message, Instant time) {
        git("add", "-A");
        String date = time.getEpochSecond() + " +0000";
        run(Map.of("GIT_AUTHOR_DATE", date, "GIT_COMMITTER_DATE", date), "commit", "-q", "--allow-empty", "-m",
                message);
        return head();
    }

    /** Creates a lightweight tag at HEAD. */
    public GitRepository tag(String name) {
        git("tag", name);
        return this;
    }

    /** Creates an annotated tag at HEAD. */
    public GitRepository annotatedTag(String name, String message) {
        String date = clock.getEpochSecond() + " +0000";
        run(Map.of("GIT_COMMITTER_DATE", date), "tag", "-a", name, "-m", message);
        return this;
    }

    /** Switches to {@code branch}, creating it at HEAD when it does not exist. */
    public GitRepository checkout(String branch) {
        if (git("branch", "--list", branch).isBlank()) {
            git("checkout", "-q", "-b", branch);
        } else {
            git("checkout", "-q", branch);
        }
        return this;
    }

    public String head() {
        return git("rev-parse", "HEAD").trim();
    }

    /** Runs {@code git} in the repository and answers its standard output; fails on a non-zero exit. */
    public String git(String... args) {
        return new String(run(Map.of(), args), StandardCharsets.UTF_8);
    }

    /** Runs git and answers its output, or {@code null} when it exits non-zero (a ref or file that is not there). */
    public byte[] tryGit(String... args) {
        Result r = exec(Map.of(), args);
        return r.exit == 0 ? r.out : null;
    }

    private byte[] run(Map<String, String> env, String... args) {
        Result r = exec(env, args);
        if (r.exit != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed (" + r.exit + "): "
                    + r.err);
        }
        return r.out;
    }

    private record Result(int exit, byte[] out, String err) {
    }

    private Result exec(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.add("-c");
        command.add("user.name=vreg test");
        command.add("-c");
        command.add("user.email=test@vreg.invalid");
        command.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("git-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(err.toFile());
                isolate(builder.environment());
                builder.environment().putAll(env);
                Process p = builder.start();
                byte[] out;
                try (InputStream in = p.getInputStream()) {
                    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                    in.transferTo(buffer);
                    out = buffer.toByteArray();
                }
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("git " + String.join(" ", args) + " did not finish");
                }
                return new Result(p.exitValue(), out, Files.readString(err));
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code git} with the given arguments, its standard output to be read by the caller. */
    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        isolate(builder.environment());
        return builder.start();
    }

    private static void isolate(Map<String, String> env) {
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
    }

    @Override
    public String toString() {
        return "git repository " + Objects.toString(dir);
    }
}
