/**
 * The {@code goproxy} upstream plugin: fetches Go module files from any server speaking the GOPROXY protocol
 * (proxy.golang.org, Athens, other module proxies) for the vreg host.
 *
 * <p>{@link dev.vreg.upstream.goproxy.GoproxyUpstreamPlugin} is the only public type; everything else is the client
 * it opens: URL validation, Go's path escaping, redirects that keep credentials on the upstream's origin, streamed
 * bodies with a read timeout, status and failure messages, and the connection test.
 */
package dev.vreg.upstream.goproxy;
