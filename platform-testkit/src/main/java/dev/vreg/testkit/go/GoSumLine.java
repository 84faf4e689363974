package dev.vreg.testkit.go;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One line of a go.sum file: {@code <module> <version> h1:<hash>} for the zip, or
 * {@code <module> <version>/go.mod h1:<hash>} for the go.mod.
 *
 * @param module  the module path
 * @param version the version, ending in {@code /go.mod} on a go.mod line
 * @param hash    the {@code h1:} hash
 */
public record GoSumLine(String module, String version, String hash) {

    /** Whether this line is the hash of the go.mod rather than of the zip. */
    public boolean isGoMod() {
        return version.endsWith("/go.mod");
    }

    /** Parses one line. */
    public static GoSumLine parse(String line) {
        String[] fields = line.trim().split(" +");
        if (fields.length != 3 || !fields[2].startsWith("h1:")) {
            throw new IllegalArgumentException("not a go.sum line: " + line);
        }
        return new GoSumLine(fields[0], fields[1], fields[2]);
    }

    /** Reads {@code go.sum} from a module directory (or the file itself); a missing file has no lines. */
    public static List<GoSumLine> read(Path dirOrFile) {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("go.sum") : dirOrFile;
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(GoSumLine::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return module + " " + version + " " + hash;
    }
}
