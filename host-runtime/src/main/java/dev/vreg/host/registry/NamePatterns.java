package dev.vreg.host.registry;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * GOPRIVATE-style name patterns: each pattern is a glob matched against a prefix of the name with the same number
 * of {@code /}-separated elements, so {@code example.com/private} admits {@code example.com/private/x/y} and
 * {@code *.corp.example} admits {@code git.corp.example/team/mod}.
 */
final class NamePatterns {

    private NamePatterns() {
    }

    /** True when {@code patterns} is empty or one of them matches a prefix of {@code name}. */
    static boolean matches(List<String> patterns, String name) {
        if (patterns.isEmpty()) {
            return true;
        }
        String[] elements = name.split("/", -1);
        for (String pattern : patterns) {
            String trimmed = pattern.replaceAll("^/+|/+$", "");
            if (trimmed.isEmpty()) {
                continue;
            }
            int count = trimmed.split("/", -1).length;
            if (count > elements.length) {
                continue;
            }
            String prefix = String.join("/", java.util.Arrays.copyOf(elements, count));
            if (glob(trimmed).matches(Path.of(prefix))) {
                return true;
            }
        }
        return false;
    }

    private static PathMatcher glob(String pattern) {
        // Escape the glob syntax that path.Match does not have, so only * ? and [] are special.
        String escaped = pattern.replace("{", "\\{").replace("}", "\\}");
        return FileSystems.getDefault().getPathMatcher("glob:" + escaped);
    }
}
