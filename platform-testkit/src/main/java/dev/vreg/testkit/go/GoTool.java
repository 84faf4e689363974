package dev.vreg.testkit.go;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Runs the real {@code go} binary from {@code PATH} with an environment made only of what this tool sets, so that
 * nothing of the machine's Go setup (its {@code GOPROXY}, go env file, ~/.netrc, module cache) takes part.
 *
 * <pre>{@code
 * GoTool go = GoTool.builder(tempDir).proxy(proxy.baseUrl()).goCache(sharedCache).build();
 * Path app = GoTool.writeConsumer(tempDir.resolve("app"), moduleA, moduleB);
 * go.run(app, "mod", "tidy").assertSuccess();
 * go.run(app, "build", "-o", "app", ".").assertSuccess();
 * }</pre>
 * Each tool has its own fresh {@code GOPATH}, {@code GOMODCACHE} and {@code HOME}; the build cache
 * ({@code GOCACHE}) may be shared between tools to keep compiles fast. See {@link GoToolBuilder} for the
 * environment.
 */
public final class GoTool {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path goBinary;
    private final Path workDir;
    private final Path modCache;
    private final Path goPath;
    private final Path goCache;
    private final Path home;
    private final Map<String, String> environment;
    private final GoProcess process;

    GoTool(Path goBinary, Path root, Path goCache, Map<String, String> environment, Duration timeout) {
        this.goBinary = goBinary;
        this.workDir = root.resolve("work");
        this.modCache = root.resolve("gomodcache");
        this.goPath = root.resolve("gopath");
        this.home = root.resolve("home");
        this.goCache = goCache;
        this.environment = Collections.unmodifiableMap(environment);
        this.process = new GoProcess(root.resolve("logs"), timeout);
    }

    /**
     * Starts configuring a tool whose directories live in a new directory under {@code tempDir}.
     *
     * @throws IllegalStateException when there is no {@code go} binary on {@code PATH}: Go tests must not pass
     *                               silently without the go command
     */
    public static GoToolBuilder builder(Path tempDir) {
        return new GoToolBuilder(tempDir, GoBinary.locate());
    }

    /** Runs {@code go args...} in the tool's work directory. */
    public GoResult run(String... args) {
        return run(workDir, args);
    }

    /** Runs {@code go args...} in {@code dir}, killing it (and what it started) when it exceeds the timeout. */
    public GoResult run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(goBinary.toString());
        command.addAll(List.of(args));
        return process.run(command, dir, environment);
    }

    /**
     * Runs {@code go mod download -json} for {@code module@version} arguments and returns go's objects, one per
     * module, including those that carry an {@link ModDownload#error()} (go then also exits non-zero).
     *
     * @throws AssertionError when go printed no JSON at all (it failed before it could say anything per module)
     */
    public List<ModDownload> modDownloadJson(String... modulesAtVersions) {
        List<String> args = new ArrayList<>(List.of("mod", "download", "-json"));
        args.addAll(List.of(modulesAtVersions));
        GoResult result = run(args.toArray(String[]::new));
        if (result.stdout().isBlank()) {
            throw new AssertionError("go mod download printed no JSON: " + result);
        }
        List<ModDownload> downloads = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> objects =
                     JSON.readerForMapOf(Object.class).readValues(result.stdout())) {
            while (objects.hasNext()) {
                downloads.add(new ModDownload(objects.next()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("go mod download printed JSON that does not parse: " + result, e);
        }
        return downloads;
    }

    /**
     * Writes a consumer module requiring {@code requires} into {@code dir}; see {@link GoConsumer#write}.
     *
     * @return {@code dir}
     */
    public static Path writeConsumer(Path dir, GoModule... requires) {
        return GoConsumer.write(dir, requires);
    }

    /** The lines of {@code dir/go.sum}; none when it does not exist. */
    public static List<GoSumLine> readGoSum(Path dir) {
        return GoSumLine.read(dir);
    }

    /** The environment every run gets, and nothing else. */
    public Map<String, String> environment() {
        return environment;
    }

    /** The directory {@link #run(String...)} runs in. */
    public Path workDir() {
        return workDir;
    }

    /** This tool's {@code GOMODCACHE}. */
    public Path modCache() {
        return modCache;
    }

    /** This tool's {@code GOPATH}. */
    public Path goPath() {
        return goPath;
    }

    /** The {@code GOCACHE} build cache. */
    public Path goCache() {
        return goCache;
    }

    /** The {@code HOME} the go command sees. */
    public Path home() {
        return home;
    }

    /** The go binary that runs. */
    public Path goBinary() {
        return goBinary;
    }
}
