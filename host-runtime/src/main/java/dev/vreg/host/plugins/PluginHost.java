package dev.vreg.host.plugins;

import dev.vreg.spi.FormatPlugin;
import dev.vreg.spi.UpstreamPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugin archives from the plugins directory and exposes their extensions. A plugin that does not fit this
 * host (its Plugin-Requires does not match, or it fails to start) is left out with a log line; the host still starts.
 */
public final class PluginHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

    private final PluginManager manager;
    private final Map<String, FormatPlugin> formats = new LinkedHashMap<>();
    private final Map<String, UpstreamPlugin> upstreamKinds = new LinkedHashMap<>();

    private PluginHost(PluginManager manager) {
        this.manager = manager;
    }

    /** Loads and starts every plugin in {@code dir}. Blocking (reads archives): call it on a worker thread. */
    public static PluginHost load(Path dir, String hostVersion) {
        if (!Files.isDirectory(dir)) {
            LOG.warn("Plugins directory {} does not exist; no formats or upstream kinds are available",
                    dir.toAbsolutePath());
        }
        PluginManager manager = new Manager(dir);
        manager.setSystemVersion(hostVersion);
        manager.loadPlugins();
        manager.startPlugins();
        PluginHost host = new PluginHost(manager);
        host.collect();
        return host;
    }

    private void collect() {
        for (PluginWrapper plugin : manager.getPlugins()) {
            PluginDescriptor d = plugin.getDescriptor();
            if (plugin.getPluginState() != PluginState.STARTED) {
                LOG.error("Plugin {} {} from {} was not loaded: state {}{}", d.getPluginId(), d.getVersion(),
                        plugin.getPluginPath().getFileName(), plugin.getPluginState(), requiresHint(d));
            }
        }
        for (FormatPlugin format : manager.getExtensions(FormatPlugin.class)) {
            FormatPlugin previous = formats.putIfAbsent(format.id(), format);
            if (previous != null) {
                LOG.error("Two plugins provide format '{}'; keeping {}", format.id(), previous.getClass().getName());
            }
        }
        for (UpstreamPlugin kind : manager.getExtensions(UpstreamPlugin.class)) {
            UpstreamPlugin previous = upstreamKinds.putIfAbsent(kind.kind(), kind);
            if (previous != null) {
                LOG.error("Two plugins provide upstream kind '{}'; keeping {}", kind.kind(),
                        previous.getClass().getName());
            }
        }
        LOG.info("Plugins loaded: formats {}, upstream kinds {}", formats.keySet(), upstreamKinds.keySet());
    }

    private String requiresHint(PluginDescriptor d) {
        String requires = d.getRequires();
        if (requires == null || requires.isBlank() || "*".equals(requires)) {
            return "";
        }
        return " (it requires vreg " + requires + ", this is vreg " + manager.getSystemVersion() + ")";
    }

    public Optional<FormatPlugin> format(String id) {
        return Optional.ofNullable(formats.get(id));
    }

    public Map<String, FormatPlugin> formats() {
        return Map.copyOf(formats);
    }

    public Optional<UpstreamPlugin> upstreamKind(String kind) {
        return Optional.ofNullable(upstreamKinds.get(kind));
    }

    public Map<String, UpstreamPlugin> upstreamKinds() {
        return Map.copyOf(upstreamKinds);
    }

    /** Ids and states of every plugin found, for diagnostics. */
    public List<PluginWrapper> plugins() {
        return manager.getPlugins();
    }

    @Override
    public void close() {
        // One by one, dependents first, over a copy: PF4J's stopPlugins() removes from the list it iterates and
        // fails with ConcurrentModificationException once more than one plugin is started.
        List<PluginWrapper> started = new ArrayList<>(manager.getStartedPlugins());
        Collections.reverse(started);
        for (PluginWrapper plugin : started) {
            if (plugin.getPluginState() == PluginState.STARTED) {
                manager.stopPlugin(plugin.getPluginId());
            }
        }
        manager.unloadPlugins();
    }

    private static final class Manager extends DefaultPluginManager {

        Manager(Path dir) {
            super(dir);
        }

        @Override
        protected PluginLoader createPluginLoader() {
            return new CompoundPluginLoader()
                    .add(new DefaultPluginLoader(this) {
                        @Override
                        protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
                            return new SharedFirstClassLoader(pluginManager, descriptor, getClass().getClassLoader());
                        }
                    })
                    .add(new JarPluginLoader(this) {
                        @Override
                        protected PluginClassLoader createPluginClassLoader(Path path, PluginDescriptor descriptor) {
                            return new SharedFirstClassLoader(pluginManager, descriptor, getClass().getClassLoader());
                        }
                    });
        }
    }
}
