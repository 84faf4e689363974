package dev.vreg.testkit.go;

import dev.vreg.go.module.ModuleEscaping;
import dev.vreg.go.module.PseudoVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes fixture modules into a directory laid out like a static GOPROXY (the layout {@code GOPROXY=file://...}
 * reads, too):
 * <pre>
 * example.com/!upper/!case/@v/list
 * example.com/!upper/!case/@v/v1.0.0.info   .mod   .zip
 * example.com/!upper/!case/@latest           (only when asked for)
 * </pre>
 * Every file is written to a temporary name and renamed into place, so a server reading the tree while a test
 * publishes a new version never serves a half-written file.
 */
public final class GoProxyTree {

    private GoProxyTree() {
    }

    /**
     * Writes a version's {@code .info}, {@code .mod} and {@code .zip} and adds the version to the module's
     * {@code list}. Pseudo-versions are served but not listed, as the protocol asks; a module with only
     * pseudo-versions gets an empty {@code list}.
     */
    public static synchronized void publish(Path root, GoModule module) {
        Path versions = moduleDir(root, module).resolve("@v");
        String base = ModuleEscaping.escapeVersion(module.version());
        module.writeZip(versions.resolve(base + ".zip"));
        write(versions.resolve(base + ".mod"), module.modBytes());
        write(versions.resolve(base + ".info"), module.infoJson().getBytes(StandardCharsets.UTF_8));
        List<String> listed = listedVersions(versions.resolve("list"));
        if (!PseudoVersion.isPseudo(module.version()) && !listed.contains(module.version())) {
            listed.add(module.version());
        }
        StringBuilder list = new StringBuilder();
        listed.forEach(v -> list.append(v).append('\n'));
        write(versions.resolve("list"), list.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the module's {@code @latest} answer: the {@code .info} of {@code module}'s version. */
    public static synchronized void publishLatest(Path root, GoModule module) {
        write(moduleDir(root, module).resolve("@latest"), module.infoJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The directory of a module in the tree, {@code <root>/<escaped path>}. */
    public static Path moduleDir(Path root, GoModule module) {
        return root.resolve(module.escapedPath());
    }

    private static List<String> listedVersions(Path list) {
        if (!Files.exists(list)) {
            return new ArrayList<>();
        }
        try {
            List<String> versions = new ArrayList<>();
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    versions.add(line.trim());
                }
            }
            return versions;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
    }

    private static void write(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(temp, bytes);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
