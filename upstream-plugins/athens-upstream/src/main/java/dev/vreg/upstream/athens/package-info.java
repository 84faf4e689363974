/**
 * The {@code athens} upstream plugin: Go modules from an Athens proxy (gomods/athens), which speaks the GOPROXY
 * protocol under its base URL (its {@code PathPrefix}) and answers {@code /healthz}, {@code /readyz} and
 * {@code /catalog} there too.
 *
 * <p>{@link dev.vreg.upstream.athens.AthensUpstreamPlugin} is the only public type. Fetches go through the bundled
 * {@link dev.vreg.goproxy.client.GoproxyClient}, which follows the redirects of Athens' {@code redirect} and
 * {@code async_redirect} download modes without carrying credentials to another host; the {@code async} mode's
 * "404 while it fetches" is retried as the settings say.
 */
package dev.vreg.upstream.athens;
