package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Go program that imports {@code golang.org/x/mod} as the local Go toolchain vendors it
 * ({@code $GOROOT/src/cmd/vendor/golang.org/x/mod}), so that a test can ask the go command's own code for the truth
 * ({@code module.MatchPrefixPatterns}, {@code zip.CreateFromDir}, {@code dirhash.HashZip}, ...) with no network: the
 * copy is a local module reached through a {@code replace} directive, and the {@link GoTool}'s {@code GOPROXY}
 * stays {@code off}.
 *
 * <pre>{@code
 * XModProgram program = XModProgram.write(go, dir, """
 *         package main
 *         import ("fmt"; "os"; "golang.org/x/mod/module")
 *         func main() { fmt.Println(module.MatchPrefixPatterns(os.Args[1], os.Args[2])) }
 *         """);
 * String out = program.run("*.corp.example", "git.corp.example/team/mod").assertSuccess().stdout();
 * }</pre>
 */
public final class XModProgram {

    private static final String MODULE = "golang.org/x/mod";

    private final GoTool go;
    private final Path programDir;

    private XModProgram(GoTool go, Path programDir) {
        this.go = go;
        this.programDir = programDir;
    }

    /**
     * Writes the program ({@code main.go}, package {@code main}) into a new module under {@code dir}, beside a copy
     * of the toolchain's x/mod.
     *
     * @throws IllegalStateException when the toolchain vendors no x/mod; tests that need Go's own answer fail
     *                               rather than skip
     */
    public static XModProgram write(GoTool go, Path dir, String mainGo) {
        String goRoot = go.run("env", "GOROOT").assertSuccess().stdout().trim();
        Path vendored = Path.of(goRoot, "src", "cmd", "vendor", "golang.org", "x", "mod");
        if (!Files.isDirectory(vendored.resolve("module"))) {
            throw new IllegalStateException("the Go toolchain at " + goRoot + " vendors no " + MODULE + " under "
                    + vendored);
        }
        try {
            Path xmod = dir.resolve("xmod");
            copyTree(vendored, xmod);
            Files.writeString(xmod.resolve("go.mod"), "module " + MODULE + "\n\ngo 1.24\n");
            Path program = Files.createDirectories(dir.resolve("program"));
            Files.writeString(program.resolve("go.mod"), "module vreg.test/xmodprogram\n\ngo 1.24\n\n"
                    + "require " + MODULE + " v0.0.0\n\nreplace " + MODULE + " => ../xmod\n");
            Files.writeString(program.resolve("main.go"), mainGo);
            return new XModProgram(go, program);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the x/mod program under " + dir, e);
        }
    }

    /** Runs the program ({@code go run .}) with {@code args}; relative paths are resolved against its directory. */
    public GoResult run(String... args) {
        List<String> command = new ArrayList<>(List.of("run", "."));
        command.addAll(List.of(args));
        return go.run(programDir, command.toArray(String[]::new));
    }

    /** The directory holding the program's {@code go.mod} and {@code main.go}. */
    public Path directory() {
        return programDir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
