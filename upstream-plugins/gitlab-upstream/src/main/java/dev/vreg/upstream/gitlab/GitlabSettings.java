package dev.vreg.upstream.gitlab;

import dev.vreg.spi.VregException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The settings of one GitLab upstream, already validated against the kind's schema by the host.
 *
 * @param hints        module path hints, longest prefix first
 * @param probeProject the project path a connection test checks access to, or null
 */
record GitlabSettings(List<ModulePathHint> hints, String probeProject) {

    /**
     * Reads the settings; without {@code modulePaths}, modules are looked up under the upstream's own host name, as
     * GitLab names them ({@code gitlab.example.com/group/project}).
     */
    static GitlabSettings from(JsonObject settings, URI url) {
        List<ModulePathHint> hints = new ArrayList<>();
        JsonArray paths = settings.getJsonArray("modulePaths", new JsonArray());
        for (int i = 0; i < paths.size(); i++) {
            JsonObject hint = paths.getJsonObject(i);
            String prefix = trimSlashes(hint.getString("prefix", ""));
            if (prefix.isEmpty()) {
                throw VregException.invalid("modulePaths[" + i + "].prefix must name a module path prefix");
            }
            String namespace = hint.containsKey("namespace") ? trimSlashes(hint.getString("namespace"))
                    : defaultNamespace(prefix);
            hints.add(new ModulePathHint(prefix, namespace));
        }
        if (hints.isEmpty()) {
            if (url.getHost() == null) {
                throw VregException.invalid("the upstream URL has no host to take module paths from");
            }
            hints.add(new ModulePathHint(url.getHost(), ""));
        }
        hints.sort(Comparator.comparingInt((ModulePathHint h) -> h.prefix().length()).reversed());
        String probe = settings.getString("probeProject");
        return new GitlabSettings(List.copyOf(hints), probe == null || probe.isBlank() ? null : trimSlashes(probe));
    }

    /** {@code gitlab.example.com/platform/go} stands for the namespace {@code platform/go}: the host is dropped. */
    private static String defaultNamespace(String prefix) {
        int slash = prefix.indexOf('/');
        return slash < 0 ? "" : prefix.substring(slash + 1);
    }

    private static String trimSlashes(String s) {
        return s == null ? "" : s.replaceAll("^/+|/+$", "");
    }
}
