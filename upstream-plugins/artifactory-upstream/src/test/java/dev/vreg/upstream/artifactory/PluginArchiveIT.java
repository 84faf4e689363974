package dev.vreg.upstream.artifactory;

import dev.vreg.testkit.plugin.PluginArchiveContract;
import java.util.Set;

/** The packaged artifactory-upstream archive, as the host's PF4J loader sees it. */
class PluginArchiveIT extends PluginArchiveContract {

    @Override
    protected String pluginId() {
        return "artifactory-upstream";
    }

    @Override
    protected Set<String> bundledLibraries() {
        return Set.of("goproxy-client");
    }
}
