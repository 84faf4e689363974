package dev.vreg.upstream.gitlab;

import java.util.Optional;

/**
 * Which module paths live in which GitLab namespace: module paths starting with {@code prefix} (a host and a group
 * prefix, such as {@code gitlab.example.com/platform}) are looked up in the namespace {@code namespace}
 * ({@code platform}), the rest of the module path naming the project, its subgroups and the module's directory.
 *
 * @param prefix    a module path prefix, matched at element boundaries
 * @param namespace the GitLab group path the prefix stands for; empty for the instance's root
 */
record ModulePathHint(String prefix, String namespace) {

    /** The path of the module below the prefix, or empty when {@code modulePath} is not under it. */
    Optional<String> remainder(String modulePath) {
        if (modulePath.equals(prefix)) {
            return Optional.of("");
        }
        if (modulePath.startsWith(prefix) && (prefix.endsWith("/") || modulePath.charAt(prefix.length()) == '/')) {
            String rest = modulePath.substring(prefix.length());
            return Optional.of(rest.startsWith("/") ? rest.substring(1) : rest);
        }
        return Optional.empty();
    }

    /** The GitLab path of {@code remainder} inside the namespace. */
    String projectPath(String remainder) {
        if (namespace.isEmpty()) {
            return remainder;
        }
        return remainder.isEmpty() ? namespace : namespace + "/" + remainder;
    }
}
