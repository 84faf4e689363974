package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configures a {@link GoTool}. The environment of every run is exactly:
 * <ul>
 *   <li>{@code PATH} from this JVM (the go command may run git, and finds its own GOROOT from its location);
 *   <li>{@code HOME}, {@code GOPATH}, {@code GOMODCACHE}: fresh directories of this tool, so no ~/.netrc, go env
 *       file, sumdb timeline or cached module of another run takes part; {@code GOCACHE}: fresh unless
 *       {@link #goCache(Path)} shares one;
 *   <li>{@code GOENV=off}, {@code GOTOOLCHAIN=local}, {@code GOFLAGS=-modcacherw} (so temporary directories can be
 *       deleted), {@code GOWORK=off}, {@code CGO_ENABLED=0};
 *   <li>{@code GOPROXY} ({@code off} until {@link #proxy(String)} is called, so nothing can reach the network),
 *       {@code GOSUMDB=off}, {@code GONOSUMDB=}, {@code GONOPROXY=none}, {@code GOPRIVATE=}, {@code GOINSECURE=};
 *   <li>whatever {@link #env(String, String)} adds or replaces ({@code NETRC}, {@code GOAUTH}, {@code SSL_CERT_FILE},
 *       a {@code GOSUMDB} key, ...).
 * </ul>
 */
public final class GoToolBuilder {

    private final Path tempDir;
    private final Path goBinary;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private String proxy = "off";
    private String sumDb = "off";
    private String noSumDb = "";
    private Path goCache;
    private Duration timeout = Duration.ofMinutes(5);

    GoToolBuilder(Path tempDir, Path goBinary) {
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
        this.goBinary = goBinary;
    }

    /** The {@code GOPROXY} value, e.g. {@code proxy.baseUrl()} or {@code "http://a,http://b"}. */
    public GoToolBuilder proxy(String goproxy) {
        this.proxy = Objects.requireNonNull(goproxy, "goproxy");
        return this;
    }

    /** The {@code GOSUMDB} value ({@code off} by default), e.g. a verifier key or {@code "<key> <url>"}. */
    public GoToolBuilder sumDb(String gosumdb) {
        this.sumDb = Objects.requireNonNull(gosumdb, "gosumdb");
        return this;
    }

    /** The {@code GONOSUMDB} patterns (empty by default). */
    public GoToolBuilder noSumDb(String patterns) {
        this.noSumDb = Objects.requireNonNull(patterns, "patterns");
        return this;
    }

    /** A build cache to use instead of a fresh one; share one per test class to keep compiles fast. */
    public GoToolBuilder goCache(Path dir) {
        this.goCache = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /** How long one run may take before it is killed (5 minutes by default). */
    public GoToolBuilder timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + limit);
        }
        this.timeout = limit;
        return this;
    }

    /** Sets an environment variable for every run, replacing the tool's own value if it has one. */
    public GoToolBuilder env(String name, String value) {
        overrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Creates the tool's directories under a new directory of {@code tempDir}. */
    public GoTool build() {
        try {
            Files.createDirectories(tempDir);
            Path root = Files.createTempDirectory(tempDir, "go-");
            Path cache = goCache != null ? goCache : root.resolve("gocache");
            for (String dir : new String[] {"work", "gomodcache", "gopath", "home", "logs"}) {
                Files.createDirectories(root.resolve(dir));
            }
            Files.createDirectories(cache);
            return new GoTool(goBinary, root, cache, environment(root, cache), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the go tool's directories under " + tempDir, e);
        }
    }

    private Map<String, String> environment(Path root, Path cache) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", ""));
        env.put("HOME", root.resolve("home").toString());
        env.put("GOPATH", root.resolve("gopath").toString());
        env.put("GOMODCACHE", root.resolve("gomodcache").toString());
        env.put("GOCACHE", cache.toString());
        env.put("GOENV", "off");
        env.put("GOTOOLCHAIN", "local");
        env.put("GOFLAGS", "-modcacherw");
        env.put("GOWORK", "off");
        env.put("CGO_ENABLED", "0");
        env.put("GOPROXY", proxy);
        env.put("GOSUMDB", sumDb);
        env.put("GONOSUMDB", noSumDb);
        env.put("GONOPROXY", "none");
        env.put("GOPRIVATE", "");
        env.put("GOINSECURE", "");
        env.putAll(overrides);
        return env;
    }
}
