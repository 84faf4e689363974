package dev.vreg.testkit.go;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vreg.go.zip.ModuleZipWriter;
import dev.vreg.go.zip.ZipCheck;
import dev.vreg.go.zip.ZipLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's own zip.CreateFromDir and dirhash.HashZip, run through {@link XModProgram}, against the module zips go-module
 * writes for directories and for fixtures: the same entries and the same h1, vendor and nested-module rules included,
 * under both the go 1.24 rules and the older ones; and go-module's zip check accepts the zips Go made.
 */
class XModProgramTest {

    private static final String CREATE_FROM_DIR = """
            package main

            import (
            	"archive/zip"
            	"fmt"
            	"os"

            	"golang.org/x/mod/module"
            	"golang.org/x/mod/sumdb/dirhash"
            	modzip "golang.org/x/mod/zip"
            )

            // Usage: program <module path> <version> <dir> <zip to write>. Prints the entry names, then the h1.
            func main() {
            	out, err := os.Create(os.Args[4])
            	check(err)
            	check(modzip.CreateFromDir(out, module.Version{Path: os.Args[1], Version: os.Args[2]}, os.Args[3]))
            	check(out.Close())
            	r, err := zip.OpenReader(os.Args[4])
            	check(err)
            	for _, f := range r.File {
            		fmt.Println(f.Name)
            	}
            	h1, err := dirhash.HashZip(os.Args[4], dirhash.Hash1)
            	check(err)
            	fmt.Println(h1)
            }

            func check(err error) {
            	if err != nil {
            		fmt.Fprintln(os.Stderr, err)
            		os.Exit(1)
            	}
            }
            """;

    @TempDir
    static Path classDir;
    private static XModProgram createFromDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeProgram() {
        GoTool go = GoTool.builder(classDir).build();
        createFromDir = XModProgram.write(go, classDir.resolve("create-from-dir"), CREATE_FROM_DIR);
    }

    @Test
    void directoryZipsAgreeWithCreateFromDirUnderTheGo124Rules() throws Exception {
        agreeOn(tree("go 1.24"));
    }

    @Test
    void directoryZipsAgreeWithCreateFromDirUnderTheOlderRules() throws Exception {
        agreeOn(tree("go 1.21"));
    }

    @Test
    void fixtureZipsAgreeWithCreateFromDir() throws Exception {
        GoModule m = GoModule.builder("example.com/Fixture/v2", "v2.1.0")
                .goMod("module example.com/Fixture/v2\n\ngo 1.24\n")
                .file("vendor/modules.txt", "# example.com/dep v1.0.0\n")
                .file("vendor/example.com/dep/dep.go", "package dep\n")
                .file("internal/vendor/v.go", "package vendor\n")
                .file("nested/go.mod", "module example.com/Fixture/v2/nested\n")
                .file("nested/n.go", "package nested\n")
                .file("docs/\u00e9t\u00e9.txt", "summer\n")
                .build();
        Path root = Files.createDirectories(dir.resolve("fixture"));
        for (var file : m.files().entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
                file.getValue().writeTo(out);
            }
        }
        List<String> go = createFromDir(m.path(), m.version(), root);
        Path zip = dir.resolve("fixture.zip");
        m.writeZip(zip);
        assertThat(names(zip)).containsExactlyInAnyOrderElementsOf(go.subList(0, go.size() - 1));
        assertThat(m.zipHash()).isEqualTo(go.get(go.size() - 1));
    }

    private void agreeOn(Path root) throws Exception {
        String path = "example.com/m";
        String version = "v1.0.0";
        List<String> go = createFromDir(path, version, root);
        Path zip = dir.resolve("java.zip");
        String h1;
        try (OutputStream out = Files.newOutputStream(zip)) {
            h1 = ModuleZipWriter.DEFAULT.writeDir(out, path, version, root);
        }
        assertThat(names(zip)).containsExactlyInAnyOrderElementsOf(go.subList(0, go.size() - 1));
        assertThat(h1).isEqualTo(go.get(go.size() - 1));
        // And the checker a registry runs on upstream zips accepts Go's own zip, with the same h1.
        assertThat(new ZipCheck(ZipLimits.DEFAULT).check(path, version, dir.resolve("go.zip")))
                .isEqualTo(go.get(go.size() - 1));
    }

    /** A module directory with every kind of file the zip rules leave out or keep. */
    private Path tree(String goDirective) throws IOException {
        Path root = Files.createDirectories(dir.resolve("tree"));
        write(root, "go.mod", "module example.com/m\n\n" + goDirective + "\n");
        write(root, "m.go", "package m\n");
        write(root, "LICENSE", "use freely\n");
        write(root, "docs/\u00e9t\u00e9.txt", "summer\n");
        write(root, "vendor/modules.txt", "# example.com/dep v1.0.0\n");
        write(root, "vendor/vendor.go", "package vendor\n");
        write(root, "vendor/example.com/dep/dep.go", "package dep\n");
        write(root, "pkg/vendor/vendor.go", "package vendor\n");
        write(root, "pkg/vendor/foo/foo.go", "package foo\n");
        write(root, "sub/go.mod", "module example.com/m/sub\n");
        write(root, "sub/s.go", "package sub\n");
        write(root, "other/GO.MOD", "module example.com/m/other\n");
        write(root, "other/o.go", "package other\n");
        write(root, ".git/HEAD", "ref: refs/heads/main\n");
        write(root, "pkg/.svn/entries", "12\n");
        write(root, ".hg_archival.txt", "repo: 0\n");
        Files.createSymbolicLink(root.resolve("link.go"), root.resolve("m.go"));
        return root;
    }

    private List<String> createFromDir(String path, String version, Path root) {
        Path zip = dir.resolve("go.zip");
        return createFromDir.run(path, version, root.toString(), zip.toString()).assertSuccess().stdout().lines()
                .toList();
    }

    private static void write(Path root, String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static List<String> names(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return Collections.list(z.entries()).stream().map(ZipEntry::getName).toList();
        }
    }
}
