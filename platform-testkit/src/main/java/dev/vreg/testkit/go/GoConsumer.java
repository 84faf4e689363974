package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a consumer module: a go.mod requiring fixture module versions and a main.go that imports every generated
 * package of them and prints each package's {@code Version()}. Building it makes the go command fetch, verify and
 * compile the fixtures; running it shows which versions were compiled in.
 */
public final class GoConsumer {

    /** The consumer's own module path. */
    public static final String MODULE_PATH = "consumer.test/app";

    private GoConsumer() {
    }

    /**
     * Writes {@code go.mod} and {@code main.go} into {@code dir} (created if missing). There is no go.sum: run
     * {@code go mod tidy} (or build with {@code -mod=mod}) first. {@code go mod tidy} drops a requirement whose
     * module has no generated package, since nothing imports it.
     *
     * @return {@code dir}
     */
    public static Path write(Path dir, GoModule... requires) {
        StringBuilder goMod = new StringBuilder("module " + MODULE_PATH + "\n\ngo 1.21\n");
        StringBuilder imports = new StringBuilder();
        StringBuilder prints = new StringBuilder();
        Set<String> paths = new HashSet<>();
        if (requires.length > 0) {
            goMod.append("\nrequire (\n");
        }
        int alias = 0;
        for (GoModule module : requires) {
            if (!paths.add(module.path())) {
                throw new IllegalArgumentException("a consumer requires one version of " + module.path());
            }
            goMod.append('\t').append(module.path()).append(' ').append(module.version()).append('\n');
            for (String importPath : module.packages()) {
                imports.append("\tm").append(alias).append(" \"").append(importPath).append("\"\n");
                prints.append("\tfmt.Println(m").append(alias).append(".Version())\n");
                alias++;
            }
        }
        if (requires.length > 0) {
            goMod.append(")\n");
        }
        String main = "// Command app prints the Version() of every fixture package it imports.\npackage main\n\n"
                + (alias == 0 ? "func main() {}\n"
                : "import (\n\t\"fmt\"\n\n" + imports + ")\n\nfunc main() {\n" + prints + "}\n");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("go.mod"), goMod, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("main.go"), main, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the consumer module in " + dir, e);
        }
        return dir;
    }
}
