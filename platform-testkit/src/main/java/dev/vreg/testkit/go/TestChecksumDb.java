package dev.vreg.testkit.go;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A checksum database for tests made of golang.org/x/mod/sumdb's own {@code NewServer(NewTestServer(...))}, built by
 * the real go command from a small program ({@code testsumdb.go}) against the toolchain's x/mod (see
 * {@link XModProgram}) and run as a process on 127.0.0.1. It signs, with a key it generates, the go.sum lines of the
 * modules it is given, so the go command (and vreg) can verify them as they would against sum.golang.org. Its log
 * grows a record at each version's first lookup.
 *
 * <pre>{@code
 * try (TestChecksumDb db = TestChecksumDb.start(go, dir, "sum.test", moduleA, moduleB)) {
 *     goTool = GoTool.builder(tmp).proxy(vreg).sumDb(db.verifierKey()).build();   // GOSUMDB=<key>
 *     ... db.requests() ...
 * }
 * }</pre>
 * It serves {@code /sumdb/<name>/supported}, {@code lookup/}, {@code tile/} and {@code latest} below
 * {@link #url()}, the layout of proxy.golang.org's pass-through, and counts them ({@link #requests()}).
 */
public final class TestChecksumDb implements AutoCloseable {

    private static final String SOURCE = "testsumdb.go";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Path sums;
    private final Process process;
    private final String address;
    private final String verifierKey;

    private TestChecksumDb(String name, Path sums, Process process, String address, String verifierKey) {
        this.name = name;
        this.sums = sums;
        this.process = process;
        this.address = address;
        this.verifierKey = verifierKey;
    }

    /**
     * Builds and starts the database under {@code dir}.
     *
     * @param go      a tool whose toolchain vendors x/mod; its GOPROXY is not used
     * @param name    the database name, as in GOSUMDB ({@code sum.test}, {@code example.com/sumdb})
     * @param modules the modules whose go.sum lines it records
     */
    public static TestChecksumDb start(GoTool go, Path dir, String name, GoModule... modules) {
        try {
            String main;
            try (InputStream in = TestChecksumDb.class.getResourceAsStream(SOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(SOURCE + " is missing from the testkit");
                }
                main = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path binary = built(go, dir, main);
            Path sums = dir.resolve("go.sum.records");
            Files.writeString(sums, "");
            TestChecksumDb.appendLines(sums, modules);
            Process process = new ProcessBuilder(binary.toString(), name, sums.toString())
                    .redirectError(dir.resolve("testsumdb.log").toFile())
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null) {
                process.destroyForcibly();
                throw new IllegalStateException("the test checksum database did not start; see "
                        + dir.resolve("testsumdb.log"));
            }
            String[] parts = first.split(" ", 2);
            return new TestChecksumDb(name, sums, process, parts[0], parts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test checksum database under " + dir, e);
        }
    }

    /**
     * The program, built once per toolchain and source: compiling net/http and crypto from nothing takes minutes on
     * a busy machine, and the binary depends on nothing but these two, so it is kept (like a build cache) in the
     * temporary directory under a name made of their hashes.
     */
    private static synchronized Path built(GoTool go, Path dir, String main) throws IOException {
        String version = go.run("env", "GOVERSION", "GOROOT").assertSuccess().stdout().trim();
        String id = sha256(version + "\n" + main).substring(0, 16);
        Path cached = Path.of(System.getProperty("java.io.tmpdir"), "vreg-testsumdb-" + id, "testsumdb");
        if (Files.isExecutable(cached)) {
            return cached;
        }
        XModProgram program = XModProgram.write(go, Files.createDirectories(dir), main);
        Path binary = dir.resolve("testsumdb");
        go.run(program.directory(), "build", "-o", binary.toString(), ".").assertSuccess();
        Files.createDirectories(cached.getParent());
        Path temp = Files.createTempFile(cached.getParent(), "testsumdb", ".tmp");
        Files.copy(binary, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        temp.toFile().setExecutable(true);
        Files.move(temp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return cached;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records the go.sum lines of more modules; each is signed at its first lookup. */
    public void add(GoModule... modules) {
        appendLines(sums, modules);
    }

    private static void appendLines(Path sums, GoModule... modules) {
        StringBuilder lines = new StringBuilder();
        for (GoModule module : modules) {
            module.goSumLines().forEach(line -> lines.append(line).append('\n'));
        }
        try {
            Files.writeString(sums, lines, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The verifier key, {@code <name>+<hash>+<key>}: what {@code GOSUMDB} is set to. */
    public String verifierKey() {
        return verifierKey;
    }

    /** Where the database itself is served: {@code http://127.0.0.1:<port>/sumdb/<name>}. */
    public String url() {
        return "http://" + address + "/sumdb/" + name;
    }

    /** The server root, which also serves as a GOPROXY with nothing but the database under {@code /sumdb/}. */
    public String root() {
        return "http://" + address;
    }

    /** How many database requests ({@code supported}, lookups, tiles, latest) it has received. */
    public long requests() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(root() + "/requests"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return Long.parseLong(response.body().trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One answer of the database, for tests that read it directly: {@code path} is below {@link #url()}. */
    public HttpResponse<byte[]> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/" + path)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the database: from now on nothing answers at its address. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The lines it records, for assertions. */
    public List<String> records() {
        try {
            return new ArrayList<>(Files.readAllLines(sums));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
