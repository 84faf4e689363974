package dev.vreg.testkit.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the blocks of a {@link RunnableDoc} in order, in one bash session started in a directory of its own, so a
 * {@code cd} or an {@code export} of one block holds for the next ones, as for a reader typing them. The session's
 * environment is only {@code PATH}, {@code HOME} (a fresh directory unless given) and what {@link #env} adds.
 *
 * <pre>{@code
 * DocRunner.in(tempDir).env("VREG", vreg.baseUrl()).run(RunnableDoc.read(Path.of("docs/goauth.md")))
 *         .assertPassed();
 * }</pre>
 */
public final class DocRunner {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String DONE = "__vreg_doc_block_done__";

    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> rewrites = new LinkedHashMap<>();
    private Duration timeout = Duration.ofMinutes(2);
    private Path home;

    private DocRunner(Path dir) {
        this.dir = dir;
    }

    /** A runner whose session works in {@code dir} (created when missing). */
    public static DocRunner in(Path dir) {
        return new DocRunner(Objects.requireNonNull(dir, "dir"));
    }

    /** Sets an environment variable of the session; {@code ${NAME}} in file and output blocks is replaced by it. */
    public DocRunner env(String name, String value) {
        env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Where the documentation writes {@code written} (an address a reader has, such as {@code http://127.0.0.1:8080}),
     * the session uses {@code actual} (the throwaway server's): in commands, files and expected output alike, so the
     * page shows what a reader types and the test runs it against its own servers. Applied in the order given.
     */
    public DocRunner rewrite(String written, String actual) {
        rewrites.put(Objects.requireNonNull(written, "written"), Objects.requireNonNull(actual, "actual"));
        return this;
    }

    /** How long one block may run before the session is killed and the block failed (2 minutes by default). */
    public DocRunner timeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + limit);
        }
        this.timeout = limit;
        return this;
    }

    /** Runs every block, stopping at the first that fails; never throws for a failing block. */
    public DocRun run(RunnableDoc doc) {
        List<DocRun.Result> results = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            home = Files.createDirectories(env.containsKey("HOME") ? Path.of(env.get("HOME"))
                    : dir.resolve(".home"));
            Path blocks = Files.createDirectories(dir.resolve(".blocks"));
            ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc").directory(dir.toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().putAll(env);
            builder.environment().put("HOME", home.toString());
            Process session = builder.start();
            try {
                BlockingQueue<String> lines = new ArrayBlockingQueue<>(1 << 16);
                Thread reader = new Thread(() -> pump(session, lines), "doc-session-output");
                reader.setDaemon(true);
                reader.start();
                Writer input = new java.io.OutputStreamWriter(session.getOutputStream(), StandardCharsets.UTF_8);
                for (DocBlock block : doc.blocks()) {
                    DocRun.Result result = block.kind() == DocBlock.Kind.FILE ? write(block)
                            : execute(block, blocks, input, lines);
                    results.add(result);
                    if (!result.passed()) {
                        break;
                    }
                }
            } finally {
                session.descendants().forEach(ProcessHandle::destroyForcibly);
                session.destroyForcibly();
                session.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + doc.name() + " in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + doc.name(), e);
        }
        return new DocRun(doc, results);
    }

    private DocRun.Result write(DocBlock block) throws IOException {
        String path = expand(rewritten(block.path()));
        Path target = path.startsWith("~/") ? home.resolve(path.substring(2)) : dir.resolve(path);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, expand(rewritten(block.text())), StandardCharsets.UTF_8);
        if (block.mode() != null) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(permissions(block.mode())));
        }
        return new DocRun.Result(block, 0, "", null, Duration.ZERO);
    }

    private DocRun.Result execute(DocBlock block, Path blocks, Writer input, BlockingQueue<String> lines)
            throws IOException, InterruptedException {
        Path script = blocks.resolve("block-" + block.line() + ".sh");
        Files.writeString(script, rewritten(block.text()), StandardCharsets.UTF_8);
        // Sourced, so the block's cd and exports stay; the marker line carries its status.
        input.write("source '" + script + "' </dev/null 2>&1; echo \"" + DONE + " $?\"\n");
        input.flush();
        StringBuilder output = new StringBuilder();
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return new DocRun.Result(block, -1, output.toString(), "did not finish within " + timeout,
                        timeout);
            }
            if (line == EOF) {
                return new DocRun.Result(block, -1, output.toString(), "ended the shell session (exit?)",
                        Duration.ofNanos(System.nanoTime() - started));
            }
            int marker = line.indexOf(DONE + " ");
            if (marker >= 0) {
                output.append(line, 0, marker);
                int status = Integer.parseInt(line.substring(marker + DONE.length() + 1).trim());
                return judge(block, status, output.toString(), Duration.ofNanos(System.nanoTime() - started));
            }
            output.append(line).append('\n');
        }
    }

    private DocRun.Result judge(DocBlock block, int status, String output, Duration elapsed) {
        if (block.kind() == DocBlock.Kind.RUN && status != 0) {
            return new DocRun.Result(block, status, output, "exited " + status, elapsed);
        }
        if (block.kind() == DocBlock.Kind.RUN_FAILS && status == 0) {
            return new DocRun.Result(block, status, output, "succeeded, but is marked {run fails}", elapsed);
        }
        if (block.expected() != null && !OutputMatch.matches(expand(rewritten(block.expected())), output)) {
            return new DocRun.Result(block, status, output, "printed other output than its {output} block:\n"
                    + expand(rewritten(block.expected())), elapsed);
        }
        return new DocRun.Result(block, status, output, null, elapsed);
    }

    String rewritten(String text) {
        String result = text;
        for (Map.Entry<String, String> rewrite : rewrites.entrySet()) {
            result = result.replace(rewrite.getKey(), rewrite.getValue());
        }
        return result;
    }

    /** {@code ${NAME}} of a variable given to {@link #env} becomes its value; anything else stays as written. */
    String expand(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = env.get(matcher.group(1));
            matcher.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : matcher.group()));
        }
        return matcher.appendTail(out).toString();
    }

    private static String permissions(String octal) {
        StringBuilder text = new StringBuilder();
        for (char digit : octal.toCharArray()) {
            int bits = digit - '0';
            text.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                    .append((bits & 1) != 0 ? 'x' : '-');
        }
        return text.toString();
    }

    private static final String EOF = new String("end of session");

    private static void pump(Process session, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(session.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.put(line);
            }
        } catch (IOException | InterruptedException e) {
            // The session was killed; the end is signalled below.
        }
        lines.offer(EOF);
    }
}
