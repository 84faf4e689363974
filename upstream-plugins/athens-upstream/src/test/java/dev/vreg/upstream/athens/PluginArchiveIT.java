package dev.vreg.upstream.athens;

import dev.vreg.testkit.plugin.PluginArchiveContract;
import java.util.Set;

/** The packaged athens-upstream archive, as the host's PF4J loader sees it. */
class PluginArchiveIT extends PluginArchiveContract {

    @Override
    protected String pluginId() {
        return "athens-upstream";
    }

    @Override
    protected Set<String> bundledLibraries() {
        return Set.of("goproxy-client");
    }
}
