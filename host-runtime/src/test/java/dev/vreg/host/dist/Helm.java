package dev.vreg.host.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The helm command: the one .ci/run builds into {@code vreg.tools.dir}, else one on PATH. Its cache, configuration
 * and data directories are the test's own, so nothing of the machine's helm settings (repositories, plugins) counts.
 */
final class Helm {

    private final Path binary;
    private final Path home;

    private Helm(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /** Fails, rather than skips, when there is no helm: a CI run without it must not pass with the chart unchecked. */
    static Helm locate(Path home) {
        List<Path> candidates = new ArrayList<>();
        String tools = System.getProperty("vreg.tools.dir");
        if (tools != null && !tools.isBlank()) {
            candidates.add(Path.of(tools, "bin", "helm"));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "helm"));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return new Helm(candidate, home);
            }
        }
        throw new IllegalStateException("the helm command is required: the Helm chart's test renders it. .ci/run "
                + "installs it (go install helm.sh/helm/v4/cmd/helm into ~/.cache/vreg-tools/bin, where the build "
                + "looks by default: -Dvreg.tools.dir=DIR for DIR/bin); looked in " + candidates);
    }

    Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "helm", ".out");
        Path err = Files.createTempFile(home, "helm", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
        builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
        builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("helm " + String.join(" ", args) + " did not finish within 2 minutes");
        }
        return new Result(String.join(" ", args), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    record Result(String command, int status, String stdout, String stderr) {

        String output() {
            return stdout + stderr;
        }

        /** The standard output of a command that must succeed. */
        String assertSuccess() {
            assertThat(status).as("helm " + command + " exits 0; it printed:\n" + output()).isZero();
            return stdout;
        }
    }
}
