package dev.vreg.bench;

import dev.vreg.testkit.go.GoConsumer;
import dev.vreg.testkit.go.GoModule;
import dev.vreg.testkit.go.GoResult;
import dev.vreg.testkit.go.GoTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code go mod download} of a consumer that requires a whole module graph, through one GOPROXY, with a fresh module
 * cache every time: what a CI job without a cache costs. The build cache is shared, as nothing is compiled.
 */
final class GoGraph {

    private final Path work;
    private final Path goCache;

    GoGraph(Path work) {
        this.work = work;
        this.goCache = work.resolve("gocache");
    }

    /** Writes the consumer of {@code modules} into a directory of its own and returns it. */
    Path consumer(String name, List<GoModule> modules) {
        return GoConsumer.write(work.resolve("consumers").resolve(name), modules.toArray(GoModule[]::new));
    }

    /** Seconds that {@code go mod download} took in {@code consumer} with {@code goproxy}; fails when go failed. */
    double download(Path consumer, String goproxy) {
        GoTool go = GoTool.builder(work.resolve("go")).proxy(goproxy).goCache(goCache)
                .env("GOFLAGS", "-modcacherw -mod=mod").timeout(Duration.ofMinutes(10)).build();
        long start = System.nanoTime();
        GoResult result = go.run(consumer, "mod", "download");
        double seconds = (System.nanoTime() - start) / 1e9;
        result.assertSuccess();
        return seconds;
    }
}
