package dev.vreg.host.plugins;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * Loads a plugin's own classes first, except for the packages the host shares with every plugin: those always come
 * from the host, so a plugin that accidentally bundles Vert.x or the SPI still sees the host's types.
 */
final class SharedFirstClassLoader extends PluginClassLoader {

    /** Packages supplied by the host. Keep in step with docs/plugins.md. */
    static final List<String> SHARED_PACKAGES = List.of(
            "dev.vreg.spi.", "io.vertx.", "io.netty.", "com.fasterxml.jackson.", "org.slf4j.", "io.micrometer.",
            "org.pf4j.");

    SharedFirstClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    protected boolean shouldDelegateToParent(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return super.shouldDelegateToParent(className);
    }
}
