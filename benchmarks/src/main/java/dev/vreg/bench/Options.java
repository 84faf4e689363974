package dev.vreg.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@link GoProxyLoad}. */
record Options(int rounds, int seconds, int graph, int largeMiB, int warmZipMiB, Path jar, Path plugins, Path work,
               List<String> javaOptions, Map<String, String> peers, Path compareJar, Path comparePlugins,
               List<String> only, int gitlabModules, int gitlabProjects, int soakMinutes) {

    /**
     * Whether the scenario group {@code name} ({@code warm}, {@code graph}, {@code large}, {@code gitlab},
     * {@code restart}, {@code soak}) runs. The soak, minutes long, runs only when named.
     */
    boolean runs(String name) {
        return only.isEmpty() ? !name.equals("soak") : only.contains(name);
    }


    static Options parse(String[] args) {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, String> peers = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            String value = args[++i];
            if (args[i - 1].equals("--peer")) {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--peer takes NAME=COMMAND, got " + value);
                }
                peers.put(value.substring(0, eq), value.substring(eq + 1));
            } else {
                single.put(args[i - 1].substring(2), value);
            }
        }
        String javaOptions = single.getOrDefault("java-options", "");
        return new Options(
                Integer.parseInt(single.getOrDefault("rounds", "3")),
                Integer.parseInt(single.getOrDefault("seconds", "5")),
                Integer.parseInt(single.getOrDefault("graph", "150")),
                Integer.parseInt(single.getOrDefault("large-mib", "350")),
                Integer.parseInt(single.getOrDefault("warm-zip-mib", "24")),
                path(single, "jar", "host-runtime/target/vreg.jar"),
                path(single, "plugins", "plugins"),
                path(single, "work", "target/bench"),
                javaOptions.isBlank() ? List.of() : new ArrayList<>(Arrays.asList(javaOptions.trim().split("\\s+"))),
                peers,
                single.containsKey("compare-jar") ? path(single, "compare-jar", "") : null,
                path(single, "compare-plugins", single.getOrDefault("plugins", "plugins")),
                single.containsKey("only") ? List.of(single.get("only").split(",")) : List.of(),
                Integer.parseInt(single.getOrDefault("gitlab-modules", "20")),
                Integer.parseInt(single.getOrDefault("gitlab-projects", "1")),
                Integer.parseInt(single.getOrDefault("soak-minutes", "10")));
    }

    private static Path path(Map<String, String> options, String name, String fallback) {
        return Path.of(options.getOrDefault(name, fallback)).toAbsolutePath().normalize();
    }
}
