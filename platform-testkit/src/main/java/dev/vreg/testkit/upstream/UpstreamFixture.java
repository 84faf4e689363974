package dev.vreg.testkit.upstream;

import dev.vreg.spi.ArtifactRef;
import dev.vreg.spi.Credentials;
import java.net.URI;
import java.util.List;

/**
 * A fake upstream server that the {@link UpstreamClientConformance} suite programs and an upstream client talks to.
 *
 * <p>The suite speaks in {@link ArtifactRef}s; the fixture decides where each artifact lives in its own URL layout
 * (a GOPROXY server puts {@code <ref.path>} under its base URL, an Artifactory fixture puts it under
 * {@code /artifactory/api/go/<repo>/}, a GitLab fixture under its project API) and must accept the request the
 * client under test makes for it. Everything the fixture serves must follow the wire rules of a real server of its
 * kind: percent-encoded paths are decoded before lookup ({@code %21} and {@code !} name the same artifact, {@code +}
 * is never a space), a served artifact has a {@code Content-Length}, and a request for anything not programmed
 * answers "not found".
 *
 * <p>All methods are called from the test thread between requests, except {@link #receivedTargets()}, which the
 * suite reads after a request completed. Implementations must be safe to call while their server threads run.
 */
public interface UpstreamFixture extends AutoCloseable {

    /** The URL a client of this kind is configured with; its host is a loopback address. */
    URI baseUrl();

    /**
     * Serves {@code body} for {@code ref} with the given entity tag. A request carrying
     * {@code If-None-Match: <etag>} (the quoted form, exactly as the fixture sends it in {@code ETag}) must answer
     * "not modified".
     *
     * @param etag the quoted entity tag, e.g. {@code "\"abc\""}, or {@code null} to send none
     */
    void serve(ArtifactRef ref, byte[] body, String etag);

    /**
     * Serves {@code length} bytes of {@link GeneratedBody} for {@code ref}, produced while sending and honouring the
     * connection's back-pressure, so the fixture itself never holds the body in memory.
     */
    void serveGenerated(ArtifactRef ref, long length);

    /** Makes every request for {@code ref} misbehave as described by {@code failure}. */
    void fail(ArtifactRef ref, FixtureFailure failure);

    /**
     * From now on, answers "unauthorized" to every request that does not carry exactly these credentials, in the way
     * clients of this kind send them (for a GOPROXY server: Basic for a user name and password, Bearer for a token).
     */
    void requireCredentials(Credentials credentials);

    /**
     * The request targets received since the last {@link #reset()}, oldest first, exactly as they arrived on the
     * wire (raw path and query, not decoded).
     */
    List<String> receivedTargets();

    /** Forgets everything programmed and recorded: no artifacts, no failures, no credentials required. */
    void reset();

    /** Stops the server and closes every open connection. */
    @Override
    void close();
}
