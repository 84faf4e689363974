/**
 * The {@code goproxy} upstream plugin: fetches Go module files from any server speaking the GOPROXY protocol
 * (proxy.golang.org, Athens, other module proxies) for the vreg host.
 *
 * <p>{@link dev.vreg.upstream.goproxy.GoproxyUpstreamPlugin} is the only public type. It checks the kind and its one
 * setting and opens a {@link dev.vreg.goproxy.client.GoproxyClient} from the goproxy-client library, which the
 * plugin archive bundles.
 */
package dev.vreg.upstream.goproxy;
