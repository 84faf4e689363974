/**
 * The {@code artifactory} upstream plugin: Go modules from a Go repository (local, remote or virtual) of JFrog
 * Artifactory, through its Go API {@code <artifactory>/api/go/<repository>}, which speaks the GOPROXY protocol.
 *
 * <p>{@link dev.vreg.upstream.artifactory.ArtifactoryUpstreamPlugin} is the only public type. Fetches go through the
 * {@link dev.vreg.goproxy.client.GoproxyClient} of the bundled goproxy-client library; connection tests use
 * Artifactory's own REST API (system ping, the repository's configuration) to say what is wrong.
 */
package dev.vreg.upstream.artifactory;
