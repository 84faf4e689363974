package dev.vreg.bench;

import dev.vreg.testkit.go.FileContent;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoProxyTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The module tree every server in a run serves: nginx reads it from disk, {@code GOPROXY=file://} reads it, and vreg
 * and the peers fetch it through nginx. Files that must be cold in a round get a version of their own, published just
 * before the round, so no server has seen them.
 */
final class Fixture {

    static final String GRAPH_PREFIX = "bench.example/graph/m";

    private final Path root;
    private final GoModule small;
    private final GoModule warmZip;

    private Fixture(Path root, GoModule small, GoModule warmZip) {
        this.root = root;
        this.small = small;
        this.warmZip = warmZip;
    }

    static Fixture create(Path root, int warmZipMiB) throws IOException {
        Files.createDirectories(root);
        GoModule small = GoModule.builder("example.com/bench/small", "v1.0.0").build();
        GoModule zip = GoModule.builder("example.com/bench/warmzip", "v1.0.0")
                .file("data.bin", FileContent.pseudoRandom(7, (long) warmZipMiB << 20)).stored().build();
        GoProxyTree.publish(root, small);
        GoProxyTree.publishLatest(root, small);
        GoProxyTree.publish(root, zip);
        return new Fixture(root, small, zip);
    }

    Path root() {
        return root;
    }

    GoModule small() {
        return small;
    }

    GoModule warmZip() {
        return warmZip;
    }

    /**
     * Publishes version {@code v1.<round>.0} of a graph of {@code size} modules: module {@code i} requires modules
     * {@code 2i+1} and {@code 2i+2} (a binary tree, so the go command walks requirements as it does in a real
     * build), and the consumer requires all of them, as {@code go mod tidy} writes it for Go 1.17+.
     */
    List<GoModule> graph(int round, int size) {
        String version = "v1." + round + ".0";
        List<GoModule> modules = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            StringBuilder goMod = new StringBuilder("module " + graphPath(i) + "\n\ngo 1.21\n");
            List<Integer> children = new ArrayList<>();
            for (int child = 2 * i + 1; child <= 2 * i + 2 && child < size; child++) {
                children.add(child);
            }
            if (!children.isEmpty()) {
                goMod.append("\nrequire (\n");
                children.forEach(c -> goMod.append('\t').append(graphPath(c)).append(' ').append(version)
                        .append('\n'));
                goMod.append(")\n");
            }
            GoModule module = GoModule.builder(graphPath(i), version).goMod(goMod.toString())
                    .file("README.md", "module " + i + " of the benchmark graph\n").build();
            GoProxyTree.publish(root, module);
            modules.add(module);
        }
        return modules;
    }

    private static String graphPath(int i) {
        return GRAPH_PREFIX + String.format("%03d", i);
    }

    /** Publishes {@code v1.0.<round>} of a large module, its zip about {@code mib} MiB of incompressible bytes. */
    GoModule large(int round, int mib) {
        GoModule module = GoModule.builder("example.com/bench/large", "v1.0." + round)
                .file("data.bin", FileContent.pseudoRandom(1000 + round, (long) mib << 20)).stored().build();
        GoProxyTree.publish(root, module);
        return module;
    }

    /** Removes a large zip from the tree once its round is over, so a run does not fill the disk. */
    void drop(GoModule module) throws IOException {
        Files.deleteIfExists(root.resolve(module.zipPath().substring(1)));
    }
}
