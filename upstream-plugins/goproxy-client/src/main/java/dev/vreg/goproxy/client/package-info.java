/**
 * A client of the GOPROXY protocol, for the upstream plugins of every server that speaks it (proxy.golang.org,
 * Athens, Artifactory's Go repositories, other module proxies). A plain library: plugins bundle it in their archive.
 *
 * <p>{@link dev.vreg.goproxy.client.GoproxyClient#open} is the entry point and
 * {@link dev.vreg.goproxy.client.GoPathEscaper} the go command's path escaping; everything else is what the client
 * is made of: URL validation, redirects that keep credentials on the upstream's origin, streamed bodies with a read
 * timeout, status and failure messages, and the connection test.
 */
package dev.vreg.goproxy.client;
