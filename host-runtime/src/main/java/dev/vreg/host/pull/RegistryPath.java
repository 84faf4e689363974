package dev.vreg.host.pull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A package request path, {@code /{format}/{group}/{registry}/{rest}}, split once. {@code rest} is kept raw, its
 * percent-encoding intact: the format decodes it by its own rules.
 */
public record RegistryPath(String format, String group, String registry, String rest) {

    /** What a group or registry name may be; the admin API checks new names against the same rule. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?");

    /** The path split into its parts, or empty when it names no registry (too short, or a name breaks the rule). */
    public static Optional<RegistryPath> parse(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = rawPath.split("/", 5);
        if (parts.length < 5 || !NAME.matcher(parts[2]).matches() || !NAME.matcher(parts[3]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryPath(parts[1], parts[2], parts[3], parts[4]));
    }

    public String displayName() {
        return group + "/" + registry;
    }
}
