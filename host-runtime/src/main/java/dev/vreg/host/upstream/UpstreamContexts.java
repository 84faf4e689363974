package dev.vreg.host.upstream;

import dev.vreg.spi.AddressNotAllowedException;
import dev.vreg.spi.PluginContext;
import java.util.function.Consumer;

/** The plugin context each upstream's client is opened with; on a node, {@code HostPluginContext::forUpstream}. */
@FunctionalInterface
public interface UpstreamContexts {

    /**
     * @param allowPrivateNetwork whether an instance admin lifted the address rule for this upstream
     * @param refused             told of each connection the context's HTTP clients refuse
     */
    PluginContext contextFor(boolean allowPrivateNetwork, Consumer<AddressNotAllowedException> refused);
}
