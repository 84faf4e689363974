package dev.vreg.upstream.gitlab;

import dev.vreg.testkit.plugin.PluginArchiveContract;
import java.util.Set;

/** The packaged gitlab-upstream archive, as the host's PF4J loader sees it. */
class PluginArchiveIT extends PluginArchiveContract {

    @Override
    protected String pluginId() {
        return "gitlab-upstream";
    }

    @Override
    protected Set<String> bundledLibraries() {
        return Set.of("go-module");
    }
}
